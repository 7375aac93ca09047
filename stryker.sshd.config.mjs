// Mutation testing of the @fap/ssh files that only real sshd exercises (they open connections,
// run commands and shells): `npx stryker run stryker.sshd.config.mjs`. Their mutants run
// ssh's integration tests (vitest.mutation-sshd.config.ts), each starting sshd hosts on loopback,
// so this run has its own report and incremental file: it would slow the unit-test runs of
// stryker.config.mjs. Needs what those tests need: root, sshd (scripts/system-deps.mjs).
import base from "./stryker.config.mjs";

const SSHD_ONLY = ["auth", "connection", "connector", "exec", "exec-stdin", "open-client", "proxy-jump", "remote", "shell"];

export default {
  ...base,
  vitest: { configFile: "vitest.mutation-sshd.config.ts" },
  mutate: SSHD_ONLY.map((name) => `packages/ssh/src/${name}.ts`),
  htmlReporter: { fileName: "reports/mutation-sshd/index.html" },
  jsonReporter: { fileName: "reports/mutation-sshd/mutation.json" },
  incrementalFile: "reports/mutation-sshd/stryker-incremental.json",
  // A mutant that hangs a connection waits for the tests' own timeouts (readyTimeout, the
  // command's), then this; the tests themselves take a few seconds.
  timeoutMS: 15_000,
};
