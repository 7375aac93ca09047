import type { KeySpecs } from "./config/keys.js";
import type { Fap } from "./fap.js";
import type { Task } from "./tasks/task.js";

/**
 * A plugin: a plain object made by a factory that validates its options. `apply` only taps
 * hooks (no I/O); `config` declares the keys it reads, with defaults, so bad values are
 * rejected before any host is touched and `fap config` can show them.
 */
export interface FapPlugin {
  /** `fap:<name>` for first-party plugins; used for every tap and error prefix. */
  name: string;
  /** Coarse order among plugins; fine order comes from tap `stage` / `before`. */
  enforce?: "pre" | "post";
  config?: KeySpecs;
  /** Tasks it adds, run with `fap run NAME` or named in `hooks` (`supervisor:status`). */
  tasks?: Readonly<Record<string, Task>>;
  /** Programs it needs on each host (`git`, `tar`); `fap doctor` checks they are there. */
  requires?: readonly string[];
  apply(fap: Fap): void;
}

export type PluginFactory<Options = void> = (options: Options) => FapPlugin;

/** Exists for types, like defineConfig. */
export function definePlugin<Options = void>(factory: PluginFactory<Options>): PluginFactory<Options> {
  return factory;
}

type Nested = FapPlugin | false | null | undefined | readonly Nested[];

/** Flattens arrays and drops falsy entries, so `plugins: [isProd && curl()]` works; then sorts by `enforce`. */
export function normalizePlugins(entries: readonly Nested[]): FapPlugin[] {
  const flat: FapPlugin[] = [];
  const visit = (entry: Nested): void => {
    if (!entry) return;
    if (Array.isArray(entry)) (entry as readonly Nested[]).forEach(visit);
    else flat.push(entry as FapPlugin);
  };
  entries.forEach(visit);
  const rank = (p: FapPlugin) => (p.enforce === "pre" ? 0 : p.enforce === "post" ? 2 : 1);
  return flat.map((plugin, index) => ({ plugin, index }))
    .sort((a, b) => rank(a.plugin) - rank(b.plugin) || a.index - b.index)
    .map(({ plugin }) => plugin);
}
