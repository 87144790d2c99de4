// One vitest run covers every workspace: unit, in-process HTTP and end-to-end tests.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // reliability/: the CI subset (RELIABILITY_SCALE unset = ci); the full run is `npm run test:reliability`.
    include: [
      'packages/*/test/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'test/**/*.test.ts',
      'reliability/**/*.test.ts',
    ],
    // Tests never ask the real release feed; update tests point PHOTOSYNC_UPDATE_URL at a loopback server.
    env: { PHOTOSYNC_UPDATE_CHECK: 'off' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // System tools first, then the web app build (only when stale) for the browser tests.
    // The reliability figures of the run are printed at the end (reliability/support/global-setup.ts).
    globalSetup: ['test/global-setup.ts', 'apps/web/test/global-setup.ts', 'reliability/support/global-setup.ts'],
  },
});
