import { defineConfig } from 'vitest/config';

// Real headless Chromium with the built extension, against the demo lab. One browser at a time:
// the machines have two cores and the tests measure nothing.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
