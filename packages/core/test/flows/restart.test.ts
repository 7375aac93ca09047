import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FlowName } from "../../src/flow-name.js";
import { createFap } from "../../src/fap.js";
import { deploy } from "../../src/flows/deploy.js";
import { restart } from "../../src/flows/restart.js";
import type { FapPlugin } from "../../src/plugin.js";
import { HOSTS, recordEvents, rejection, useFixture } from "../_fixture.js";

const fx = useFixture();

describe("restart", () => {
  it("calls restarting and restarted on every host, config hooks in current", async () => {
    const [id] = [(await deploy(fx.options(createFap(), fx.config()))).hosts[0]!.release];
    const seen: Array<[string, FlowName, string | undefined]> = [];
    const supervisor: FapPlugin = {
      name: "test:supervisor",
      apply({ hooks }) {
        hooks.restarting.tapPromise("test:supervisor", async (ctx) => void seen.push([ctx.host, ctx.flow, ctx.release.previousId]));
      },
    };
    const fap = createFap([supervisor]);
    const events = recordEvents(fap);

    const result = await restart(fx.options(fap, fx.config({ hooks: { restarted: "pwd -P > restarted" } })));

    expect(result.hosts.map((h) => [h.host, h.release])).toEqual([
      ["a", undefined],
      ["b", undefined],
    ]);
    expect(seen.sort()).toEqual([
      ["a", "restart", undefined],
      ["b", "restart", undefined],
    ]);
    for (const host of HOSTS) {
      expect(readFileSync(join(fx.root(host), "releases", id!, "restarted"), "utf8")).toBe(`${join(fx.root(host), "releases", id!)}\n`);
    }
    const phases = events.flatMap((e) => (e.type === "phase" ? [`${e.event.phase} ${e.event.state}`] : []));
    expect(phases).toEqual(["restarting start", "restarting end", "restarted start", "restarted end", "checking start", "checking end"]);
  });

  it("names the host where restarting failed", async () => {
    await deploy(fx.options(createFap(), fx.config()));
    const error = await rejection(restart(fx.options(createFap(), fx.config({}, { hooks: { restarting: `case "$PWD" in */b/app/current) exit 1;; esac` } }))));
    expect(error.code).toBe("E_COMMAND_FAILED");
    expect(error.message).toMatch(/^restart failed on 1 host: b \(restarting\): \[fap:hooks\] restarting: `cd .* exited with 1$/);
    expect(error.hint).toBe("hosts not listed were restarted");
  });

  it("fails on a host with nothing deployed when a hook needs current", async () => {
    const error = await rejection(restart(fx.options(createFap(), fx.config({ hooks: { restarting: "true" } }))));
    expect(error.code).toBe("E_COMMAND_FAILED");
    expect(existsSync(fx.root("a"))).toBe(false);
  });
});
