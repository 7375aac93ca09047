import { describe, expect, it } from "vitest";
import { programFailure } from "../src/_run-program.js";
import { parseProgramOutput } from "../src/output.js";
import type { ProgramCommandInput } from "../src/program-command.js";

const input: ProgramCommandInput = {
  ctl: ["supervisorctl"],
  program: "shop",
  group: "shop",
  link: { source: "/srv/www/shop/releases/1/configs/web.conf", target: "/etc/supervisor/conf.d/shop.conf" },
  action: "restart",
  checkTimeout: 30,
};
const FATAL = "shop                             FATAL     Exited too quickly (process log may have details)";
const LOG = ["::fap-supervisorctl::log shop", "Traceback (most recent call last):", "RuntimeError: boom", ""];

function failure(exitCode: number, stdout: string[], stderr = "", overrides: Partial<ProgramCommandInput> = {}) {
  const text = stdout.join("\n");
  return programFailure("host1", { ...input, ...overrides }, { exitCode, stdout: text, stderr }, parseProgramOutput(text));
}

describe("programFailure", () => {
  it("says what supervisorctl answered, the state and how the log ends when the restart fails", () => {
    const error = failure(13, ["shop: stopped", "shop: ERROR (spawn error)", "::fap-supervisorctl::status", FATAL, ...LOG]);
    expect(error.code).toBe("E_COMMAND_FAILED");
    expect(error.message).toBe(
      "supervisorctl restart shop failed: shop: ERROR (spawn error); shop is FATAL (Exited too quickly (process log may have details)); its log ends with: RuntimeError: boom",
    );
    expect(error.host).toBe("host1");
  });

  it("names the refresh and leaves out the expected 'already started'", () => {
    const error = failure(13, ["shop: ERROR (already started)", "ERROR: CANT_REREAD: File contains no section headers.", "::fap-supervisorctl::status", "shop: ERROR (no such process)"], "", { action: "refresh" });
    expect(error.message).toBe(
      "supervisorctl refresh (stop, reread, update, start) of shop failed: ERROR: CANT_REREAD: File contains no section headers.; shop: ERROR (no such process)",
    );
  });

  it("reports a program the check saw fail", () => {
    const backoff = "shop                             BACKOFF   Exited too quickly (process log may have details)";
    expect(failure(14, ["shop: started", "::fap-supervisorctl::status", backoff, ...LOG]).message).toBe(
      "shop is not running: shop is BACKOFF (Exited too quickly (process log may have details)); its log ends with: RuntimeError: boom",
    );
  });

  it("reports a program still starting when the check gave up", () => {
    const error = failure(15, ["::fap-supervisorctl::status", "shop                             STARTING  "]);
    expect(error.code).toBe("E_COMMAND_TIMEOUT");
    expect(error.message).toBe("shop did not reach RUNNING within 30 s: shop is STARTING");
  });

  it.each([
    [10, "/etc/supervisor/conf.d is not a directory", "E_CONFIG", "cannot link supervisor_target: /etc/supervisor/conf.d is not a directory"],
    [11, "/srv/www/shop/releases/1/configs/web.conf does not exist", "E_CONFIG", "supervisor_conf: /srv/www/shop/releases/1/configs/web.conf does not exist"],
    [16, "ln: failed to create symbolic link '/etc/supervisor/conf.d/.shop.conf.fap-tmp': Permission denied", "E_COMMAND_FAILED",
      "cannot link /etc/supervisor/conf.d/shop.conf: ln: failed to create symbolic link '/etc/supervisor/conf.d/.shop.conf.fap-tmp': Permission denied"],
    [127, "sh: 1: supervisorctl: not found", "E_COMMAND_FAILED", "supervisorctl failed: sh: 1: supervisorctl: not found"],
  ])("exit %i", (exitCode, stderr, code, message) => {
    expect(failure(exitCode, [], stderr)).toMatchObject({ code, message });
  });
});
