// Mutation testing of @fap/core and @fap/ssh: `npm run test:mutation` (not in CI: it runs the
// unit tests once per mutant, tens of minutes on two cores). A subset: `npm run test:mutation --
// --mutate packages/ssh/src/known-hosts.ts`. The score is in CONTRIBUTING.md; the report is
// written to reports/mutation/.
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts" },
  mutate: ["packages/core/src/**/*.ts", "packages/ssh/src/**/*.ts", "!**/index.ts", "!packages/core/src/internal.ts"],
  coverageAnalysis: "perTest",
  // Each mutant runs the tests that cover it; more than one at a time starves a small machine.
  concurrency: 1,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  ignorePatterns: ["reports", "bench/results", "**/dist", "**/*.tsbuildinfo", ".fap-demo"],
  // A mutant whose tests run past (their dry-run time x timeoutFactor + timeoutMS) counts as
  // "timed out", which Stryker scores as detected. On a loaded two-core machine the flow tests
  // run several times slower than in the dry run, and a 10 s margin turned slow-but-passing
  // mutants into false detections; a real hang still ends, only later.
  timeoutFactor: 4,
  timeoutMS: 60_000,
  // `-- --incremental` reruns only the mutants whose code or tests changed since the last run.
  incrementalFile: "reports/mutation/stryker-incremental.json",
};
