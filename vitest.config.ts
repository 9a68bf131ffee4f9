import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // timeouts only end a hung test: a loaded machine (CI beside other jobs) may be ten times slower
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // 2 cores: PGlite is CPU-bound WebAssembly, more workers only contend
    maxWorkers: 2,
  },
});
