import { defineConfig } from 'vitest/config';

// The real `tierlink` binary as a child process against one bundled server on PGlite with demo
// data (test/global-setup.ts). Files run one after another: they share the server, and the
// machine has two cores.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    fileParallelism: false,
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
