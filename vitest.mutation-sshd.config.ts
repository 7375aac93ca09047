import { defineConfig } from "vitest/config";

// The tests stryker.sshd.config.mjs runs against each mutant of ssh's sshd-only files: all of
// ssh's tests, the integration ones included (real sshd on loopback, see @fap/testing).
export default defineConfig({
  test: {
    include: ["packages/ssh/test/**/*.test.ts"],
    exclude: ["**/node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
