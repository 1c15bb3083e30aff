import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // End-to-end tests start real child processes and servers; two cores, so keep the pool small.
    maxWorkers: 2,
    // In CI, also a machine-readable report: .ci/run prints its plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-output/vitest-report.json' },
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      // Generated from grammar/condition.peggy; test helpers shipped for benchmarks.
      exclude: ['src/condition/parser.generated.*', 'src/testing/**'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'coverage',
      // The gate: never below the level the project reached (lines, in-process tests only;
      // the end-to-end tests run the built CLI in child processes, which v8 does not see).
      thresholds: { lines: 85 },
    },
  },
});
