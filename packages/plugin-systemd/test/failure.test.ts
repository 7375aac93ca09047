import { describe, expect, it } from "vitest";
import { unitFailure } from "../src/_run-units.js";
import { formatUnit, parseUnitOutput } from "../src/output.js";
import { readSettings } from "../src/settings.js";

const user = readSettings({ systemd_unit: "api", systemd_user: true });
const system = readSettings({ systemd_unit: ["api", "worker"] });

function failure(settings: typeof user, exitCode: number, stdout: string[], stderr = "") {
  const text = stdout.join("\n");
  return unitFailure("host1", settings, settings.action, { exitCode, stdout: text, stderr }, parseUnitOutput(text));
}

describe("parseUnitOutput and formatUnit", () => {
  it("reads the units, the result and each journal", () => {
    const output = parseUnitOutput(
      ["::fap-systemd::unit api.service active running 0 4242 - success", "::fap-systemd::result ok", "", "::fap-systemd::journal api.service", "listening", ""].join("\n"),
    );
    expect(output.result).toBe("ok");
    expect(output.states).toEqual([{ unit: "api.service", active: "active", sub: "running", restarts: 0, pid: 4242, status: undefined, result: "success" }]);
    expect(output.logs).toEqual([{ name: "api.service", lines: ["listening"] }]);
    expect(formatUnit(output.states[0]!)).toBe("api.service active (running), pid 4242");
  });

  it("says how a unit ended", () => {
    const [state] = parseUnitOutput("::fap-systemd::unit api.service failed failed 5 0 1 exit-code").states;
    expect(formatUnit(state!)).toBe("api.service failed (failed), exit status 1, result exit-code, restarted 5×");
  });
});

describe("unitFailure", () => {
  it("names the unit that does not stay active and the last line of its journal that is not a stack frame", () => {
    const error = failure(user, 0, [
      "::fap-systemd::unit api.service activating auto-restart 2 0 1 exit-code",
      "::fap-systemd::result crashed",
      "::fap-systemd::journal api.service",
      "Error: boom: DATABASE_URL is not set",
      "    at Timeout._onTimeout (/srv/www/api/releases/2/dist/server.js:9:3)",
    ]);
    expect(error.code).toBe("E_COMMAND_FAILED");
    expect(error.host).toBe("host1");
    expect(error.message).toBe(
      "api.service does not stay active: api.service activating (auto-restart), exit status 1, result exit-code, restarted 2×; its journal ends with: Error: boom: DATABASE_URL is not set",
    );
    expect(error.hint).toContain("journalctl --user-unit=api.service");
  });

  it("names only the units that failed, and a timeout", () => {
    const crashed = failure(system, 0, [
      "::fap-systemd::unit api.service active running 0 10 - success",
      "::fap-systemd::unit worker.service failed failed 0 0 2 exit-code",
      "::fap-systemd::result crashed",
    ]);
    expect(crashed.message).toBe("worker.service does not stay active: worker.service failed (failed), exit status 2, result exit-code");
    expect(crashed.hint).toContain("journalctl -u api.service");
    const timeout = failure(system, 0, ["::fap-systemd::unit api.service activating start 0 10 - -", "::fap-systemd::unit worker.service active running 0 11 - -", "::fap-systemd::result timeout"]);
    expect(timeout.code).toBe("E_COMMAND_TIMEOUT");
    expect(timeout.message).toBe("api.service, worker.service not active for 3 s within 60 s: api.service activating (start), pid 10");
  });

  it("tells a missing unit, a refused system manager, an unreachable user manager and a host without systemd apart", () => {
    const missing = failure(user, 10, [], "Failed to restart api.service: Unit api.service not found.\napi.service is not-found");
    expect(missing.code).toBe("E_CONFIG");
    expect(missing.message).toBe("systemctl --user restart api.service failed: api.service is not-found");
    expect(missing.hint).toContain("~/.config/systemd/user");
    const denied = failure(system, 11, [], "Failed to restart api.service: Access denied");
    expect(denied.message).toBe("systemctl failed: Failed to restart api.service: Access denied");
    expect(denied.hint).toContain("sudo: true");
    const noBus = failure(user, 11, [], "Failed to connect to bus: No medium found");
    expect(noBus.hint).toContain("loginctl enable-linger");
    expect(failure(user, 12, [], "systemctl is not on the PATH").message).toBe("systemctl is not on the PATH of the host's ssh sessions");
  });
});
