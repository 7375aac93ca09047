import { describe, expect, it } from "vitest";
import type { HostContext } from "../../src/context.js";
import { CORE_PLUGIN_NAME } from "../../src/core-plugin.js";
import type { FlowName } from "../../src/flow-name.js";
import { checkBeforeRelease } from "../../src/hooks/check-before-release.js";
import { createHooks } from "../../src/hooks/hooks.js";
import { tapRuntime } from "../../src/hooks/runtime-taps.js";

const host = (flow: FlowName) => ({ host: "web1", flow, release: { id: "20240102030405" } }) as HostContext;

describe("checkBeforeRelease", () => {
  it("checks ahead of core's starting tap, only in the flows named", async () => {
    const hooks = createHooks();
    const calls: string[] = [];
    hooks.starting.tapPromise(CORE_PLUGIN_NAME, async (ctx) => void calls.push(`core ${ctx.flow}`));
    checkBeforeRelease(hooks, "test:plugin", ["deploy", "rollback"], (ctx) => void calls.push(`check ${ctx.flow}`));
    for (const flow of ["deploy", "rollback", "restart", "task"] as const) await hooks.starting.promise(host(flow));
    expect(calls).toEqual(["check deploy", "core deploy", "check rollback", "core rollback", "core restart", "core task"]);
  });

  it("fails the starting phase with what the check throws", async () => {
    const hooks = createHooks();
    checkBeforeRelease(hooks, "test:plugin", ["deploy"], () => {
      throw new Error("app_port is not a port");
    });
    await expect(hooks.starting.promise(host("deploy"))).rejects.toThrow("app_port is not a port");
  });
});

describe("tapRuntime", () => {
  it("runs the app on published in a deploy or rollback, and on restarting; checks before core's starting", async () => {
    const hooks = createHooks();
    const calls: string[] = [];
    hooks.starting.tapPromise(CORE_PLUGIN_NAME, async () => void calls.push("core"));
    tapRuntime(hooks, "test:runtime", {
      check: (ctx) => void calls.push(`check ${ctx.flow}`),
      publish: async (ctx) => void calls.push(`publish ${ctx.flow}`),
      restart: async (ctx) => void calls.push(`restart ${ctx.flow}`),
      putBack: () => ({ name: "app", restart: async () => "", stop: async () => "" }),
    });
    for (const flow of ["deploy", "rollback", "task"] as const) {
      await hooks.starting.promise(host(flow));
      await hooks.published.promise(host(flow));
    }
    await hooks.restarting.promise(host("restart"));
    expect(calls).toEqual(["check deploy", "core", "publish deploy", "check rollback", "core", "publish rollback", "core", "restart restart"]);
  });
});
