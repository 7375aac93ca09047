import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { FapConfig } from "../../src/config/types.js";
import type { HostContext } from "../../src/context.js";
import { createFap } from "../../src/fap.js";
import { canFinishWithSwitch } from "../../src/flows/_finish-with-switch.js";
import { deploy } from "../../src/flows/deploy.js";
import type { FapPlugin } from "../../src/plugin.js";
import { recordEvents, rejection, useFixture } from "../_fixture.js";
import { lockThief } from "../_test-plugins.js";

// Checks the mutation run (npm run test:mutation) found untested in flows/_finish-with-switch.ts:
// which runs may finish in the command that switches, a switch that fails there, and the
// warning of a finish the host refused.

const fx = useFixture();

const oneHost = (values: Record<string, unknown> = {}) => fx.config(values, { hosts: ["a"] });
const commandsOf = (events: ReturnType<typeof recordEvents>) => events.flatMap((e) => (e.type === "command" ? [e.event] : []));

describe("finishing with the switch", () => {
  it("is only for contexts core made (a plugin test's stub has no run state)", () => {
    const stub = { host: "a", stage: "production", role: "web", config: {}, primary: true } as unknown as HostContext;
    expect(canFinishWithSwitch(createFap(), [stub], [])).toBe(false);
  });

  it("is not taken when one of two roles sharing the release has a config hook after the switch", async () => {
    const path = `${fx.tmp}/a/app`;
    const config: FapConfig = {
      stage_role_configs: { production: { web: { hosts: ["a"], path }, worker: { hosts: ["a"], path, hooks: { published: "true" } } } },
    };
    const fap = createFap();
    const events = recordEvents(fap);
    await deploy(fx.options(fap, config));
    const publishing = commandsOf(events).filter((c) => c.phase === "publishing");
    expect(publishing).toHaveLength(1);
    expect(publishing[0]!.command).not.toMatch(/fap_undo=lock/);
  });

  it("runs nothing after a switch that failed: the host is put back as after any failed publish", async () => {
    const vandal: FapPlugin = {
      name: "test:vandal",
      apply({ hooks }) {
        hooks.updated.tapPromise("test:vandal", async (ctx) => {
          await ctx.run("true"); // the release is made with the host's next command
          rmSync(ctx.paths.release!, { recursive: true });
        });
      },
    };
    const fap = createFap([vandal]);
    const events = recordEvents(fap);
    const error = await rejection(deploy(fx.options(fap, oneHost())));
    expect(error.message).toMatch(/^deploy failed on 1 host: a \(publishing\): /);
    const phases = events.flatMap((e) => (e.type === "phase" && e.event.state === "start" ? [e.event.phase] : []));
    expect(phases.slice(-1)).toEqual(["publishing"]);
    expect(events.some((e) => e.type === "log" && e.event.message.startsWith("clean-up failed"))).toBe(false);
    expect(fx.current("a")).toBeUndefined();
  });

  it("warns when the host refused the finish (the lock was no longer this run's)", async () => {
    const fap = createFap([lockThief()]);
    const events = recordEvents(fap);
    await rejection(deploy(fx.options(fap, oneHost())));
    const warnings = events.flatMap((e) => (e.type === "log" && e.event.level === "warn" ? [`${e.event.host}: ${e.event.message}`] : []));
    expect(warnings).toEqual(["a: clean-up failed: the lock was no longer this run's, nothing was done"]);
  });

  it("does not warn when the finish went through", async () => {
    const fap = createFap();
    const events = recordEvents(fap);
    await deploy(fx.options(fap, oneHost()));
    expect(events.filter((e) => e.type === "log" && e.event.level === "warn")).toEqual([]);
  });
});
