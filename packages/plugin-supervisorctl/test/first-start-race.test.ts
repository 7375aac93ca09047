import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT } from "../src/_script.js";
import { programCommand } from "../src/program-command.js";

// A first deploy of a program that crashes at once: `update` adds it and starts it; by the
// `start` after it, supervisord has either not given up yet (`already started`, exit 0) or has
// (`spawn error`, exit 1). Which one is a race on the host: what fap reports must not depend on
// it. A supervisorctl stand-in answers `start` the second way, every time.
const dir = mkdtempSync(join(tmpdir(), "fap-supervisor-race-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fakeCtl = join(dir, "supervisorctl");
writeFileSync(
  fakeCtl,
  `case "$1" in
  restart) echo "app: ERROR (no such process)"; exit 7 ;;
  reread) echo "app: available" ;;
  update) echo "app: added process group" ;;
  start) echo "app: ERROR (spawn error)"; exit 1 ;;
  status) echo "app                              FATAL     Exited too quickly (process log may have details)"; exit 3 ;;
  tail) echo "RuntimeError: boom" ;;
esac
`,
);

describe("a first restart of a program that crashes at once", () => {
  it("ends as not running when the status is checked, whether start came before or after supervisord gave up", () => {
    const script = programCommand({ ctl: ["sh", fakeCtl], program: "app", group: "app", link: undefined, action: "restart", checkTimeout: 5 });
    const run = spawnSync("sh", ["-c", script], { encoding: "utf8" });
    expect(run.status).toBe(EXIT.NOT_RUNNING);
    expect(run.stdout).toContain("FATAL     Exited too quickly");
  });

  it("fails the restart when nothing checks the status: start's spawn error is all fap knows", () => {
    const script = programCommand({ ctl: ["sh", fakeCtl], program: "app", group: "app", link: undefined, action: "restart", checkTimeout: undefined });
    expect(spawnSync("sh", ["-c", script], { encoding: "utf8" }).status).toBe(EXIT.ACTION_FAILED);
  });
});
