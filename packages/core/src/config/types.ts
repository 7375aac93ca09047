import type { FapPlugin } from "../plugin.js";
import type { Task } from "../tasks/task.js";
import type { HostEntry } from "./host-entries.js";

/**
 * Values that can be set at the top level, per stage and per stage.role. Plugins extend it
 * by module augmentation (`declare module "@fap/core" { interface ConfigValues { ... } }`)
 * so that `defineConfig` knows their keys.
 */
export interface ConfigValues {
  app_name?: string;
  path?: string;
  user?: string;
  port?: number;
  keep_releases?: number;
  release_id_format?: string;
  linked_files?: string[] | string;
  linked_dirs?: string[] | string;
  hooks?: Partial<Record<string, string | string[]>>;
  command_timeout?: number;
  parallel?: number;
  lock_ttl?: number;
  canary?: number;
  canary_wait?: number;
  releases_path?: string;
  current_path?: string;
  shared_path?: string;
  environment?: Record<string, string>;
  /** Names (`web1`, `deploy@web1:2222`) or `{ host, primary, labels }`. */
  hosts?: HostEntry[] | string;
  [key: string]: unknown;
}

export interface RoleConfig extends ConfigValues {
  hosts: HostEntry[] | string;
}

/**
 * A stage maps role names to roles; entries that are known config keys override for the whole
 * stage. An index signature cannot say "known key: its type, any other name: a role", so this
 * type is loose; `defineConfig` checks each stage of a config literal with `CheckedStages`.
 */
export type StageConfig = { readonly [roleOrKey: string]: unknown };

/** The keys ConfigValues names (core's and every augmenting plugin's), without its index signature. */
export type KnownConfigKey = keyof { [K in keyof ConfigValues as string extends K ? never : number extends K ? never : K]: true };

/** Each stage's entries: a known key has its type, any other name is a role (`RoleConfig`). */
export type CheckedStages<Stages> = {
  [Stage in keyof Stages]: { [Entry in keyof Stages[Stage]]: Entry extends KnownConfigKey ? ConfigValues[Entry] : RoleConfig };
};

/** A plugin as written in a config: a name to load, a plugin object, or falsy to skip. */
export type PluginEntry = string | FapPlugin | false | null | undefined | readonly PluginEntry[];

/** A task in a YAML config: shell commands, or other tasks in series or in parallel. */
export interface TaskConfig {
  description: string;
  roles?: string[] | string;
  /** Run on each role's primary host only (per stage), connecting to no other host. */
  once?: boolean;
  run?: string | string[];
  series?: string[];
  parallel?: string[];
}

export interface FapConfig extends ConfigValues {
  plugins?: PluginEntry[];
  /** `fap run NAME`, or a `hooks` entry naming it: `tasks: { "db:migrate": task({ ... }) }`. */
  tasks?: Record<string, Task | TaskConfig>;
  stage_role_configs: Record<string, StageConfig>;
}

/**
 * Exists for types: `export default defineConfig({...})` in deploy.config.ts. Keys are typed at
 * the top level, per stage and per role: `web: { hosts, curl_extract_tgz: "yes" }` is an error.
 */
export function defineConfig<T extends FapConfig>(config: T & { stage_role_configs: CheckedStages<T["stage_role_configs"]> }): T {
  return config;
}
