import { defineConfig } from 'vitest/config';

// Benchmarks reuse the test servers (TypeScript), so vitest runs them; they are not tests
// and `npm test` does not include them.
export default defineConfig({
  test: {
    include: ['bench/**/*.bench.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 10 * 60_000,
    fileParallelism: false,
    reporters: ['verbose'],
  },
});
