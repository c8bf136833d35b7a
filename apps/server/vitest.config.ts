import { defineConfig } from 'vitest/config';

const postgres = process.env['TEST_DATABASE'] === 'postgres';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'],
    // Concurrency and crash cases only mean something on a real PostgreSQL server.
    exclude: postgres ? ['node_modules/**'] : ['node_modules/**', '**/*.pg.test.ts'],
    // Per file, the 5xx and leak counts for the test:proof summary (written only when PROOF_FIGURES is set).
    setupFiles: ['test/proof-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
