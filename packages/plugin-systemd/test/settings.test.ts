import { FapError } from "@fap/core";
import { describe, expect, it } from "vitest";
import { readSettings } from "../src/settings.js";

describe("readSettings", () => {
  it("takes one unit or several, adding .service where a name has no suffix", () => {
    expect(readSettings({ systemd_unit: "api" }).units).toEqual(["api.service"]);
    expect(readSettings({ systemd_unit: ["api", "api-worker@1.service", "api.socket"] }).units).toEqual(["api.service", "api-worker@1.service", "api.socket"]);
    expect(readSettings({ systemd_unit: "api worker" }).units).toEqual(["api.service", "worker.service"]);
  });

  it("defaults to a restart of a system unit, with daemon-reload, 3 s of uptime within 60 s", () => {
    expect(readSettings({ systemd_unit: "api" })).toEqual({ units: ["api.service"], user: false, action: "restart", daemonReload: true, minUptime: 3, timeout: 60 });
  });

  it("refuses what is not a unit name, in one line", () => {
    for (const unit of ["api;reboot", "--now", "$(id)", "a b/c"]) {
      const error = (() => {
        try {
          readSettings({ systemd_unit: unit });
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(FapError);
      expect((error as FapError).code).toBe("E_CONFIG");
      expect((error as FapError).message).toMatch(/^systemd_unit: '.+' is not a unit name$/);
    }
  });
});
