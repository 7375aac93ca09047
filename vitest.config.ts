import { defineConfig } from "vitest/config";

// CI reads the JSON report to print a plain "N passed, N failed" line (.ci/run).
const jsonReport = process.env.FAP_VITEST_JSON;

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts", "examples/*/test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: jsonReport ? ["default", "json"] : ["default"],
    ...(jsonReport ? { outputFile: { json: jsonReport } } : {}),
  },
});
