/**
 * `npm run test:reliability`: the whole reliability and security suite at full scale, one file at a time
 * (each starts its own server processes and some load the machine on purpose), with room for long runs.
 * The summary table is printed at the end and written to docs/RELIABILITY.md (support/global-setup.ts).
 * `npm test` runs the same files at RELIABILITY_SCALE=ci through the root vitest.config.ts.
 */
import { defineConfig } from 'vitest/config';

// Set here, in the main process, so that the global setup sees the same scale as the test files.
process.env['RELIABILITY_SCALE'] ??= 'full';

export default defineConfig({
  test: {
    include: ['reliability/**/*.test.ts'],
    env: { PHOTOSYNC_UPDATE_CHECK: 'off' },
    testTimeout: 30 * 60_000,
    hookTimeout: 5 * 60_000,
    pool: 'forks',
    fileParallelism: false,
    globalSetup: ['test/global-setup.ts', 'reliability/support/global-setup.ts'],
  },
});
