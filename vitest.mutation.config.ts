import { defineConfig } from "vitest/config";

// The tests `npm run test:mutation` (stryker.config.mjs) runs against each mutant of core and ssh:
// their own unit tests, which import the source (other packages' tests import the built dist,
// which Stryker does not mutate; e2e and integration tests are too slow to run per mutant).
export default defineConfig({
  test: {
    include: ["packages/core/test/**/*.test.ts", "packages/ssh/test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/*.{e2e,integration}.test.ts", "packages/core/test/api-report.test.ts"],
    testTimeout: 60_000,
  },
});
