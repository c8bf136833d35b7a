import { defineConfig } from 'vitest/config';

// The browser suite: one real server (`npm start` on a temporary embedded database with demo
// data) and Debian's Chromium driven by playwright-core. Files run one after another: they share
// the server, and the machine has two cores.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    fileParallelism: false,
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 90_000,
    hookTimeout: 120_000,
    sequence: { concurrent: false },
  },
});
