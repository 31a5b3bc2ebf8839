import { defineConfig } from 'vitest/config';

/**
 * Unit tests: pure logic and in-process parts, beside the code they test. They share their
 * worker's process from file to file (`isolate: false`): a fresh process per file cost more than
 * most of these files take to run (127 files in 44 s isolated against 26 s shared on 2 cores).
 * Such a test leaves no global behind it (timers, environment, mocks are put back by the test).
 */
const UNIT = ['shared/**/*.test.ts', 'web/!(e2e)/**/*.test.{ts,tsx}', 'server/*.test.ts', 'server/!(test)/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time, whatever the core count: most files wait on sockets, child processes and
    // Chromium rather than compute, so one at a time (the default on 2 cores) left a core idle for
    // half the run (705 s against 335 s for the whole suite on 2 cores); three made it no faster.
    maxWorkers: 2,
    globalSetup: ['web/e2e/global-setup.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT, isolate: false } },
      // Whole servers, child processes, Redis and Chromium: each file in a process of its own.
      { extends: true, test: { name: 'system', include: ['server/test/**/*.test.ts', 'web/e2e/**/*.test.{ts,tsx}'] } },
    ],
  },
});
