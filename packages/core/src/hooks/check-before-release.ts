import type { HostContext } from "../context.js";
import { CORE_PLUGIN_NAME } from "../core-plugin.js";
import type { FlowName } from "../flow-name.js";
import type { FapPlugin } from "../plugin.js";
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

/**
 * A plugin that takes part in making a deploy's release (fetching its code, installing into it,
 * checking the app on it): `plugin` (its name, keys, programs) with an `apply` that checks its
 * settings with `check` before core creates the release (checkBeforeRelease), then makes `tap`'s taps.
 */
export function releasePlugin(plugin: Omit<FapPlugin, "apply">, check: (ctx: HostContext) => void, tap: (hooks: Hooks) => void): FapPlugin {
  return {
    ...plugin,
    apply({ hooks }) {
      checkBeforeRelease(hooks, plugin.name, ["deploy"], check);
      tap(hooks);
    },
  };
}
