import { describe, expect, it } from "vitest";
import type { HostContext } from "../../src/context.js";
import { createEvents } from "../../src/events.js";
import { createHooks } from "../../src/hooks/hooks.js";
import { runtimePlugin } from "../../src/hooks/runtime-taps.js";

const host = { host: "web1", flow: "deploy", release: { id: "20240102030405" } } as HostContext;

describe("runtimePlugin", () => {
  it("keeps the plugin's fields, and its apply makes the runtime taps, then the plugin's own", async () => {
    const calls: string[] = [];
    const plugin = runtimePlugin(
      { name: "test:runtime", config: {}, requires: ["app"] },
      {
        check: () => void calls.push("check"),
        publish: async () => void calls.push("publish"),
        restart: async () => void calls.push("restart"),
        putBack: () => ({ name: "app", restart: async () => "", stop: async () => "" }),
      },
      (hooks) => hooks.published.tapPromise("test:runtime", async () => void calls.push("more")),
    );
    expect(plugin).toMatchObject({ name: "test:runtime", config: {}, requires: ["app"] });
    const hooks = createHooks();
    plugin.apply({ hooks, events: createEvents() });
    await hooks.starting.promise(host);
    await hooks.published.promise(host);
    await hooks.restarting.promise({ ...host, flow: "restart" });
    expect(calls).toEqual(["check", "publish", "more", "restart"]);
  });
});
