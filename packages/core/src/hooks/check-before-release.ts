import type { HostContext } from "../context.js";
import { CORE_PLUGIN_NAME } from "../core-plugin.js";
import type { FlowName } from "../flow-name.js";
import type { Hooks } from "./hooks.js";

/**
 * Taps `starting` ahead of core, which creates the release there: `check` runs on each host of
 * a run whose flow is one of `flows`, so a bad value fails the run before any host holds
 * anything of it.
 */
export function checkBeforeRelease(hooks: Hooks, plugin: string, flows: readonly FlowName[], check: (ctx: HostContext) => void): void {
  hooks.starting.tapPromise({ name: plugin, before: CORE_PLUGIN_NAME }, async (ctx) => {
    if (flows.includes(ctx.flow)) check(ctx);
  });
}
