import type { HostContext } from "../context.js";
import { asList } from "../config/keys.js";
import { isPlainObject } from "../config/interpolate.js";
import { HOST_HOOK_NAMES, type Hooks, type HostHookName } from "./hooks.js";
import type { FapPlugin } from "../plugin.js";
import { FapError } from "../errors.js";
import { runTaskOnHost } from "../tasks/run-task.js";
import type { TaskRegistry } from "../tasks/registry.js";
import { own } from "../config/own.js";
import { FAPISTRANO_HOOK_NAMES, hookNamesFor } from "./fapistrano-hook-names.js";

export const CONFIG_HOOKS_PLUGIN_NAME = "fap:hooks";

/**
 * Runs the entries of the `hooks` key (`hooks: {updated: "make assets"}`) on each host, after
 * the plugins' taps. An entry that is the name of a task runs that task on the host; any other
 * is a shell command, run in the release directory (or `current` when the run has no release).
 */
export function configHooksPlugin(tasks: () => TaskRegistry = () => new Map()): FapPlugin {
  return {
    name: CONFIG_HOOKS_PLUGIN_NAME,
    apply({ hooks }) {
      for (const name of HOST_HOOK_NAMES) {
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

/** Whether the `hooks` key has anything for `hook` on this target. */
export function hasConfigHook(ctx: HostContext, hook: HostHookName): boolean {
  return commandsFor(ctx, hook).length > 0;
}

/** The entries written under the hook's name or under its Fapistrano alias (checkHookNames allows only one). */
function commandsFor(ctx: HostContext, hook: HostHookName): string[] {
  const configured = ctx.config.hooks;
  return isPlainObject(configured) ? hookNamesFor(hook).flatMap((name) => asList(own(configured, name))) : [];
}

function workingDirectory(ctx: HostContext): string {
  return ctx.release.id === undefined ? ctx.paths.current : `${ctx.paths.releases}/${ctx.release.id}`;
}

/** The fap hook a `hooks` entry is written for: its own name or a Fapistrano signal name. */
function hookNamed(name: string): HostHookName {
  if ((HOST_HOOK_NAMES as readonly string[]).includes(name)) return name as HostHookName;
  const alias = Object.hasOwn(FAPISTRANO_HOOK_NAMES, name) ? FAPISTRANO_HOOK_NAMES[name] : undefined;
  if (alias !== undefined) return alias;
  throw new FapError("E_CONFIG", `hooks: unknown hook '${name}'`, {
    hint: `hooks are ${HOST_HOOK_NAMES.join(", ")} (or Fapistrano's names: deploy.starting, deploy.finishing_rollback, ...)`,
  });
}

/** `db:migrate`, `assets:build`: one word with a colon, which no shell command looks like. */
const TASK_LIKE = /^[A-Za-z0-9][A-Za-z0-9._-]*(?::[A-Za-z0-9._-]+)+$/;

/**
 * A misspelt hook name would silently never run: refuse it up front. So would a misspelt task
 * name, run as a shell command that does not exist.
 */
export function checkHookNames(configured: unknown, tasks?: TaskRegistry): void {
  if (!isPlainObject(configured)) return;
  const seen = new Map<HostHookName, string>();
  for (const [name, entries] of Object.entries(configured)) {
    const hook = hookNamed(name);
    const twin = seen.get(hook);
    if (twin !== undefined) {
      throw new FapError("E_CONFIG", `hooks: '${twin}' and '${name}' are the same hook`, {
        hint: `write its commands under one name, as a list: ${hook}: [...]`,
      });
    }
    seen.set(hook, name);
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
