import { defineConfig } from 'vitest/config';

const postgres = process.env['TEST_DATABASE'] === 'postgres';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Concurrency and crash cases only mean something on a real PostgreSQL server.
    exclude: postgres ? ['node_modules/**'] : ['node_modules/**', '**/*.pg.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
