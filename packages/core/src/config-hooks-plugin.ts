import type { HostContext } from "./context.js";
import { asList } from "./config/keys.js";
import { isPlainObject } from "./config/interpolate.js";
import type { Hooks, HostHookName } from "./hooks.js";
import type { FapPlugin } from "./plugin.js";
import { FapError } from "./errors.js";
import { runTaskOnHost } from "./run-task.js";
import type { TaskRegistry } from "./task-registry.js";
import { own } from "./config/own.js";

export const CONFIG_HOOKS_PLUGIN_NAME = "fap:hooks";

const HOST_HOOKS: readonly HostHookName[] = [
  "starting", "started", "updating", "updated", "reverting", "reverted", "publishing", "published",
  "finishing", "finishingRollback", "finished", "restarting", "restarted",
];

/**
 * Runs the entries of the `hooks` key (`hooks: {updated: "make assets"}`) on each host, after
 * the plugins' taps. An entry that is the name of a task runs that task on the host; any other
 * is a shell command, run in the release directory (or `current` when the run has no release).
 */
export function configHooksPlugin(tasks: () => TaskRegistry = () => new Map()): FapPlugin {
  return {
    name: CONFIG_HOOKS_PLUGIN_NAME,
    apply({ hooks }) {
      for (const name of HOST_HOOKS) {
        (hooks as Hooks)[name].tapPromise(CONFIG_HOOKS_PLUGIN_NAME, async (ctx) => {
          const registry = tasks();
          for (const entry of commandsFor(ctx, name)) {
            const task = registry.get(entry);
            if (task) await runTaskOnHost(entry, task.task, ctx, registry);
            else await ctx.run(entry, { cwd: workingDirectory(ctx) });
          }
        });
      }
    },
  };
}

function commandsFor(ctx: HostContext, hook: string): string[] {
  const configured = ctx.config.hooks;
  return isPlainObject(configured) ? asList(own(configured, hook)) : [];
}

function workingDirectory(ctx: HostContext): string {
  return ctx.release.id === undefined ? ctx.paths.current : `${ctx.paths.releases}/${ctx.release.id}`;
}

/** `db:migrate`, `assets:build`: one word with a colon, which no shell command looks like. */
const TASK_LIKE = /^[A-Za-z0-9][A-Za-z0-9._-]*(?::[A-Za-z0-9._-]+)+$/;

/**
 * A misspelt hook name would silently never run: refuse it up front. So would a misspelt task
 * name, run as a shell command that does not exist.
 */
export function checkHookNames(configured: unknown, tasks?: TaskRegistry): void {
  if (!isPlainObject(configured)) return;
  for (const [name, entries] of Object.entries(configured)) {
    if (!(HOST_HOOKS as readonly string[]).includes(name)) {
      throw new FapError("E_CONFIG", `hooks: unknown hook '${name}'`, { hint: `hooks are ${HOST_HOOKS.join(", ")}` });
    }
    if (!tasks) continue;
    for (const entry of asList(entries)) {
      if (TASK_LIKE.test(entry) && !tasks.has(entry)) {
        throw new FapError("E_CONFIG", `hooks.${name}: unknown task '${entry}'`, {
          hint: `tasks: ${[...tasks.keys()].join(", ") || "(none)"}; define it under tasks, or add the plugin that has it`,
        });
      }
    }
  }
}
