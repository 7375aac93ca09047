import type { HostContext } from "../context.js";
import type { FapPlugin } from "../plugin.js";
import { checkBeforeRelease } from "./check-before-release.js";
import type { Hooks } from "./hooks.js";
import { putBackOnFailure, type PutBackActions } from "./put-back.js";

/** What a plugin that runs the app (pm2, systemd, supervisorctl) does on one host. */
export interface RuntimeActions {
  /** Reads the plugin's settings; throws E_CONFIG on a bad value. */
  check(ctx: HostContext): void;
  /** Runs the app on the release a deploy or rollback has just made live. */
  publish(ctx: HostContext): Promise<unknown>;
  /** `fap run restart`: restarts the app on the live release. */
  restart(ctx: HostContext): Promise<unknown>;
  /** After a failed run: how to put the app back on the live release (see putBackOnFailure). */
  putBack(ctx: HostContext): PutBackActions;
}

/**
 * The taps every runtime plugin makes: its settings checked before core creates the release
 * (a bad value leaves nothing behind on any host), the app run on the new release once it is
 * live everywhere (`published`, deploy and rollback), restarted by `restarting`, and put back
 * on the live release when the run fails after that.
 */
export function tapRuntime(hooks: Hooks, plugin: string, actions: RuntimeActions): void {
  const started = putBackOnFailure(hooks, plugin, actions.putBack);
  checkBeforeRelease(hooks, plugin, ["deploy", "rollback"], actions.check);
  hooks.published.tapPromise(plugin, async (ctx) => {
    if (ctx.flow !== "deploy" && ctx.flow !== "rollback") return;
    started(ctx);
    await actions.publish(ctx);
  });
  hooks.restarting.tapPromise(plugin, (ctx) => actions.restart(ctx));
}

/**
 * A plugin that runs the app: `plugin` (its name, keys, tasks, programs) with the runtime taps as
 * its `apply`, then `tapMore`'s own (supervisorctl's checks of supervisord and the program's conf).
 */
export function runtimePlugin(plugin: Omit<FapPlugin, "apply">, actions: RuntimeActions, tapMore?: (hooks: Hooks) => void): FapPlugin {
  return {
    ...plugin,
    apply({ hooks }) {
      tapRuntime(hooks, plugin.name, actions);
      tapMore?.(hooks);
    },
  };
}
