import { defineConfig } from "vitest/config";

// CI reads the JSON report to print a plain "N passed, N failed" line (.ci/run).
const jsonReport = process.env.FAP_VITEST_JSON;

// A test's path says which project runs it, so the split needs no list to keep up to date:
//   *.e2e.test.ts, *.integration.test.ts  need the system packages (sshd hosts, git, ssh-keygen,
//                                         python3, chromium: scripts/system-deps.mjs): "e2e"
//   test/docs/, test/types/               docs and type checks of the build (the built fap,
//                                         tsc): node only, but tens of seconds: "checks"
//   any other *.test.ts                   node and sh only, any user, no sshd, seconds: "unit"
const TESTS = ["packages/*/test/**/*.test.ts", "test/**/*.test.ts", "examples/*/test/**/*.test.ts"];
const NEEDS_SYSTEM = TESTS.map((glob) => glob.replace("*.test.ts", "*.{e2e,integration}.test.ts"));
const CHECKS = ["test/docs/**/*.test.ts", "test/types/**/*.test.ts"];

export default defineConfig({
  test: {
    pool: "forks",
    // The e2e files mostly wait on sshd, git and child processes, not on this CPU. On a 2-core
    // machine vitest's default is one file at a time; with three, the whole suite ran in ~6 min
    // (1016 s of test time) in a clean-clone CI run.
    maxWorkers: 3,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: jsonReport ? ["default", "json"] : ["default"],
    ...(jsonReport ? { outputFile: { json: jsonReport } } : {}),
    projects: [
      { extends: true, test: { name: "unit", include: TESTS, exclude: ["**/node_modules/**", "**/*.{e2e,integration}.test.ts", ...CHECKS] } },
      { extends: true, test: { name: "checks", include: CHECKS } },
      // Their timeouts only catch a hang: on a loaded machine some took half of 60 s (npm
      // installs on three hosts, twelve fap runs in a row).
      { extends: true, test: { name: "e2e", include: NEEDS_SYSTEM, testTimeout: 120_000, hookTimeout: 120_000 } },
    ],
  },
});
