import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'web/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time, whatever the core count: most files wait on sockets, child processes and
    // Chromium rather than compute, so one at a time (the default on 2 cores) left a core idle for
    // half the run (705 s against 335 s for the whole suite on 2 cores); three made it no faster.
    maxWorkers: 2,
    globalSetup: ['web/e2e/global-setup.ts'],
  },
});
