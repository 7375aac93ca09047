import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FapError } from "../../src/errors.js";
import { createFap } from "../../src/fap.js";
import { deploy } from "../../src/flows/deploy.js";
import { markBad } from "../../src/flows/mark-bad.js";
import { once } from "../../src/flows/once.js";
import { status } from "../../src/flows/status.js";
import { recordEvents, rejection, useFixture } from "../_fixture.js";
import { wrapConnector } from "../_wrap-connector.js";

// Checks the mutation run (npm run test:mutation) found untested in flows/once.ts, status.ts
// and mark-bad.ts: a command that could not run on a host, drift among many hosts without a
// release, a current release the log does not name, and a mark-bad that failed on two hosts.

const fx = useFixture();

describe("once", () => {
  it("names each host whose command could not run (timed out), with its error as the host said it", async () => {
    await deploy(fx.options(createFap(), fx.config()));
    const fap = createFap();
    const events = recordEvents(fap);
    const error = await rejection(once(fx.options(fap, fx.config({ command_timeout: 0.3 })), "sleep 5"));
    expect(error.code).toBe("E_COMMAND_FAILED");
    expect(error.message).toBe("the command failed on a, b");
    expect(error.details).toEqual({ hosts: ["a", "b"] });
    const results = events.flatMap((e) => (e.type === "host-result" ? [e.event] : [])).sort((x, y) => x.host.localeCompare(y.host));
    expect(results.map((r) => [r.host, r.stage, r.role, r.ok])).toEqual([
      ["a", "production", "web", false],
      ["b", "production", "web", false],
    ]);
    // The test host's message names the host itself; the result adds no second name.
    for (const r of results) expect(r.error).toBe(`${r.host}: command timed out after 300 ms`);
  });
});

describe("status", () => {
  it("takes the most common current of a role, hosts without one counted together", async () => {
    const five = () => fx.config({}, { hosts: ["a", "b", "c", "d", "e"] });
    await deploy(fx.options(createFap(), fx.config({}, { hosts: ["a", "b"] })));
    expect((await status(fx.options(createFap(), five()))).drift).toEqual(["a", "b"]);
  });

  it("gives no revision for a current release the log does not name", async () => {
    const id = (await deploy(fx.options(createFap(), fx.config({}, { hosts: ["a"] })))).hosts[0]!.release!;
    writeFileSync(join(fx.root("a"), ".fap", "releases.log"), "");
    const report = await status(fx.options(createFap(), fx.config({}, { hosts: ["a"] })));
    expect(report.hosts.map((h) => [h.state.current, h.revision])).toEqual([[id, undefined]]);
  });
});

describe("markBad", () => {
  it("lists every host it could not mark", async () => {
    const [older] = [(await deploy(fx.options(createFap(), fx.config()))).hosts[0]!.release!];
    await deploy(fx.options(createFap(), fx.config()));
    const connector = wrapConnector(fx.connector, (remote) => ({
      exec: (command, options) =>
        command.includes("fap_undo=") ? Promise.reject(new FapError("E_CONNECTION_LOST", "connection lost", { host: remote.host })) : remote.exec(command, options),
    }));
    const error = await rejection(markBad(fx.options(createFap(), fx.config(), { connector }), older));
    expect(error.message).toBe(`could not mark ${older} bad on every host (a: unreachable; b: unreachable)`);
    rmSync(join(fx.root("a"), ".fap", "lock"), { recursive: true, force: true });
  });
});
