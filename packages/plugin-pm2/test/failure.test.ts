import { describe, expect, it } from "vitest";
import { reloadFailure } from "../src/_run-reload.js";
import { parseWaitOutput } from "../src/output.js";
import { readSettings } from "../src/settings.js";

const settings = readSettings({ pm2_name: "api", pm2_script: "dist/server.js" });

function failure(exitCode: number, stdout: string[], stderr = "") {
  const text = stdout.join("\n");
  return reloadFailure("host1", settings, { exitCode, stdout: text, stderr }, parseWaitOutput(text));
}

describe("reloadFailure", () => {
  it("names each process and the last line of its log when the app crash loops", () => {
    const error = failure(0, [
      "::fap-pm2::result crashed",
      "::fap-pm2::proc 0 errored 15 0 /srv/www/api/releases/2/dist/server.js",
      "::fap-pm2::proc 1 online 3 0 /srv/www/api/releases/2/dist/server.js",
      "::fap-pm2::log /home/deploy/.pm2/logs/api-error-0.log",
      "Error: boom",
      "    at Object.<anonymous> (/srv/www/api/releases/2/dist/server.js:3:7)",
      "Error: boom: DATABASE_URL is not set",
      "    at Timeout._onTimeout (/srv/www/api/releases/2/dist/server.js:9:3)",
      "    at process.processTimers (node:internal/timers:519:7)",
    ]);
    expect(error.code).toBe("E_COMMAND_FAILED");
    expect(error.message).toBe("api does not stay online under pm2: api#0 errored, restarted 15×; api#1 online 0 s, restarted 3×; its log ends with: Error: boom: DATABASE_URL is not set");
    expect(error.host).toBe("host1");
  });

  it("says when the app still runs from another release (an ecosystem with __dirname paths)", () => {
    const error = failure(0, ["::fap-pm2::result stale", "::fap-pm2::proc 0 online 1 5 /srv/www/api/releases/1/server.js"]);
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toBe("pm2 still runs api from another release: api#0 online 5 s, restarted 1×");
  });

  it("reports a timeout, a missing ecosystem and a missing pm2", () => {
    expect(failure(0, ["::fap-pm2::result timeout", "::fap-pm2::proc 0 launching 0 0 /x"]).message).toBe("api was not online for 3 s within 60 s: api#0 launching");
    expect(failure(10, [], "/srv/www/api/current/ecosystem.config.cjs does not exist").message).toBe("pm2_ecosystem: /srv/www/api/current/ecosystem.config.cjs does not exist");
    expect(failure(11, [], "sh: 1: pm2: not found").message).toBe("pm2 startOrReload api failed: sh: 1: pm2: not found");
  });
});

describe("readSettings", () => {
  it("wants a script or an ecosystem, inside the release", () => {
    expect(() => readSettings({ pm2_name: "api" })).toThrow("neither pm2_script nor pm2_ecosystem is set");
    expect(() => readSettings({ pm2_name: "api", pm2_script: "../x.js" })).toThrow("pm2_script '../x.js' must be a file inside the release");
    expect(() => readSettings({ pm2_name: "api", pm2_script: "x.js", pm2_env: { "A-B": "1" } })).toThrow("pm2_env: 'A-B' is not a variable name");
  });
});
