import { defineConfig } from 'vitest/config';

const BROWSER_TESTS = ['test/serve/browser.test.ts'];

export default defineConfig({
  test: {
    // onnxruntime-node and the wasm backends are happiest in separate processes.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: BROWSER_TESTS, sequence: { groupOrder: 0 } } },
      // The page plays in real time and counts underruns: it runs after the rest, alone, so that two cores
      // shared with training and kernel tests do not starve its stream (CI measured 21 underruns that way).
      { extends: true, test: { name: 'browser', include: BROWSER_TESTS, sequence: { groupOrder: 1 } } },
    ],
  },
});
