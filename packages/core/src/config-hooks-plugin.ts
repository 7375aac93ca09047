import type { HostContext } from "./context.js";
import { asList } from "./config/keys.js";
import { isPlainObject } from "./config/interpolate.js";
import type { Hooks, HostHookName } from "./hooks.js";
import type { FapPlugin } from "./plugin.js";
import { FapError } from "./errors.js";

export const CONFIG_HOOKS_PLUGIN_NAME = "fap:hooks";

const HOST_HOOKS: readonly HostHookName[] = [
  "starting", "started", "updating", "updated", "reverting", "reverted", "publishing", "published",
  "finishing", "finishingRollback", "finished", "restarting", "restarted",
];

/**
 * Runs the shell commands of the `hooks` key (`hooks: {updated: "make assets"}`) on each host,
 * in the release directory (or `current` when the run has no release), after the plugins' taps.
 */
export function configHooksPlugin(): FapPlugin {
  return {
    name: CONFIG_HOOKS_PLUGIN_NAME,
    apply({ hooks }) {
      for (const name of HOST_HOOKS) {
        (hooks as Hooks)[name].tapPromise(CONFIG_HOOKS_PLUGIN_NAME, async (ctx) => {
          for (const command of commandsFor(ctx, name)) await ctx.run(command, { cwd: workingDirectory(ctx) });
        });
      }
    },
  };
}

function commandsFor(ctx: HostContext, hook: string): string[] {
  const configured = ctx.config.hooks;
  return isPlainObject(configured) ? asList(configured[hook]) : [];
}

function workingDirectory(ctx: HostContext): string {
  return ctx.release.id === undefined ? ctx.paths.current : `${ctx.paths.releases}/${ctx.release.id}`;
}

/** A misspelt hook name would silently never run: refuse it up front. */
export function checkHookNames(configured: unknown): void {
  if (!isPlainObject(configured)) return;
  for (const name of Object.keys(configured)) {
    if (!(HOST_HOOKS as readonly string[]).includes(name)) {
      throw new FapError("E_CONFIG", `hooks: unknown hook '${name}'`, { hint: `hooks are ${HOST_HOOKS.join(", ")}` });
    }
  }
}
