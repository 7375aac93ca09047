import { CORE_KEYS } from "./config/core-keys.js";
import type { KeySpecs } from "./config/keys.js";
import { corePlugin } from "./core-plugin.js";
import { createEvents } from "./events.js";
import type { Redactor } from "./secrets/redact.js";
import { FapError } from "./errors.js";
import { createHooks } from "./hooks/hooks.js";
import { configHooksPlugin } from "./hooks/config-hooks-plugin.js";
import { normalizePlugins, type Fap, type FapPlugin } from "./plugin.js";
import { createTaskRegistry, type TaskRegistry } from "./tasks/registry.js";

/** A fap instance with its plugins applied. */
export interface FapInstance extends Fap {
  readonly plugins: readonly FapPlugin[];
  /** The plugins' tasks and the config's, by name (`fap run NAME`, `fap tasks`). */
  readonly tasks: TaskRegistry;
  /** Every declared key, core's and the plugins'. */
  readonly keys: KeySpecs;
  /** Who declared which keys, lowest precedence first (core, then plugins in order). */
  readonly keysByOwner: ReadonlyArray<{ owner: string; keys: KeySpecs }>;
}

export interface CreateFapOptions {
  /** The config's `tasks` key: task({...}) values, or YAML maps (see taskFromConfig). */
  tasks?: unknown;
  /** Redacts every event (see FapEventEmitter); the CLI passes the one its stdout, stderr and --log share. */
  redactor?: Redactor;
}

/** Core's own steps are a plugin like any other; the user's plugins come after it. */
export function createFap(userPlugins: readonly FapPlugin[] = [], options: CreateFapOptions = {}): FapInstance {
  const hooks = createHooks();
  const events = createEvents(options.redactor);
  const normalized = normalizePlugins(userPlugins);
  let tasks: TaskRegistry = new Map();
  const plugins = [corePlugin(), ...normalized, configHooksPlugin(() => tasks)];
  const keysByOwner = [{ owner: "core", keys: CORE_KEYS }];
  const keys: Record<string, KeySpecs[string]> = { ...CORE_KEYS };
  const seen = new Set<string>();
  for (const plugin of plugins) {
    if (seen.has(plugin.name)) {
      throw new FapError("E_PLUGIN", `plugin ${plugin.name} is loaded twice`, { hint: "list each plugin once in plugins" });
    }
    seen.add(plugin.name);
    if (plugin.config) {
      keysByOwner.push({ owner: plugin.name, keys: plugin.config });
      Object.assign(keys, plugin.config);
    }
    plugin.apply({ hooks, events });
  }
  tasks = createTaskRegistry(normalized, options.tasks);
  return { hooks, events, plugins, tasks, keys, keysByOwner };
}
