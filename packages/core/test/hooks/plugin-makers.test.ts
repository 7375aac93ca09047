import { describe, expect, it } from "vitest";
import type { HostContext } from "../../src/context.js";
import { CORE_PLUGIN_NAME } from "../../src/core-plugin.js";
import { createEvents } from "../../src/events.js";
import type { FlowName } from "../../src/flow-name.js";
import { releasePlugin } from "../../src/hooks/check-before-release.js";
import { createHooks } from "../../src/hooks/hooks.js";
import { runtimePlugin } from "../../src/hooks/runtime-taps.js";
import type { FapPlugin } from "../../src/plugin.js";

const host = (flow: FlowName) => ({ host: "web1", flow, release: { id: "20240102030405" } }) as HostContext;
const FIELDS = { name: "test:plugin", config: {}, requires: ["app"] };

/** The hooks with core's own starting tap (noted in `calls`) and the plugin applied after it, as in a run. */
function applied(plugin: FapPlugin, calls: string[]) {
  const hooks = createHooks();
  hooks.starting.tapPromise(CORE_PLUGIN_NAME, async () => void calls.push("core"));
  plugin.apply({ hooks, events: createEvents() });
  return hooks;
}

describe("runtimePlugin", () => {
  it("keeps the plugin's fields, and its apply makes the runtime taps, then the plugin's own", async () => {
    const calls: string[] = [];
    const plugin = runtimePlugin(
      FIELDS,
      {
        check: () => void calls.push("check"),
        publish: async () => void calls.push("publish"),
        restart: async () => void calls.push("restart"),
        putBack: () => ({ name: "app", restart: async () => "", stop: async () => "" }),
      },
      (hooks) => hooks.published.tapPromise("test:plugin", async () => void calls.push("more")),
    );
    expect(plugin).toMatchObject(FIELDS);
    const hooks = applied(plugin, calls);
    await hooks.starting.promise(host("deploy"));
    await hooks.published.promise(host("deploy"));
    await hooks.restarting.promise(host("restart"));
    expect(calls).toEqual(["check", "core", "publish", "more", "restart"]);
  });
});

describe("releasePlugin", () => {
  it("keeps the plugin's fields, checks before core's starting tap in a deploy only, then makes its own taps", async () => {
    const calls: string[] = [];
    const plugin = releasePlugin(FIELDS, (ctx) => void calls.push(`check ${ctx.flow}`), (hooks) => {
      hooks.updated.tapPromise("test:plugin", async (ctx) => void calls.push(`updated ${ctx.flow}`));
    });
    expect(plugin).toMatchObject(FIELDS);
    const hooks = applied(plugin, calls);
    for (const flow of ["deploy", "rollback"] as const) {
      await hooks.starting.promise(host(flow));
      await hooks.updated.promise(host(flow));
    }
    expect(calls).toEqual(["check deploy", "core", "updated deploy", "core", "updated rollback"]);
  });
});
