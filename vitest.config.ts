import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // 2 cores: PGlite is CPU-bound WebAssembly, more workers only contend
    maxWorkers: 2,
  },
});
