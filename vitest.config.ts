import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'web/test/**/*.test.ts'],
    // Builds web/dist when it is missing or stale, once, before the browser tests need it.
    globalSetup: ['test/browser/helpers/global-setup.ts'],
    // PGlite and tesseract workers are heavy: two cores, so at most two files at once.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
