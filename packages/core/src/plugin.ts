import type { KeySpecs } from "./config/keys.js";
import type { HostPaths } from "./context.js";
import type { FapEvents } from "./events.js";
import type { Hooks } from "./hooks/hooks.js";
import type { Task } from "./tasks/task.js";

/** What `apply(fap)` receives. */
export interface Fap {
  readonly hooks: Hooks;
  readonly events: FapEvents;
}

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
  /** Checks of its own that `fap doctor` runs on each host, after core's (`node` against engines.node). */
  doctor?: readonly PluginDoctorCheck[];
  apply(fap: Fap): void;
}

/** What a plugin's doctor check knows of the host it checks. */
export interface DoctorCheckContext {
  host: string;
  /** The host's config values, resolved as a deploy would resolve them. */
  config: Readonly<Record<string, unknown>>;
  paths: Omit<HostPaths, "release">;
}

/** A check's finding: one ✓ or ✗ line in `fap doctor`, with how to fix a ✗. */
export interface DoctorVerdict {
  ok: boolean;
  message: string;
  hint?: string;
}

/**
 * A check a plugin adds to `fap doctor`. Its `probe`, a read-only shell command, runs on the
 * host in doctor's one round trip (as run_as, in a subshell, stderr dropped); `verdict` turns
 * its output into the line shown. Either may return undefined: nothing to check on this host.
 */
export interface PluginDoctorCheck {
  /** The check's name in the report (`node`). */
  name: string;
  probe(host: DoctorCheckContext): string | undefined;
  verdict(output: { stdout: string; exitCode: number }, host: DoctorCheckContext): DoctorVerdict | undefined | Promise<DoctorVerdict | undefined>;
}

export type PluginFactory<Options = void> = (options: Options) => FapPlugin;

/** Exists for types, like defineConfig. */
export function definePlugin<Options = void>(factory: PluginFactory<Options>): PluginFactory<Options> {
  return factory;
}

type Nested = FapPlugin | false | null | undefined | readonly Nested[];

/**
 * Flattens arrays and drops falsy entries, so `plugins: [isProd && curl()]` works; then sorts by
 * `enforce` (Array.prototype.sort is stable: the written order stays within each).
 */
export function normalizePlugins(entries: readonly Nested[]): FapPlugin[] {
  const flat: FapPlugin[] = [];
  const visit = (entry: Nested): void => {
    if (!entry) return;
    if (Array.isArray(entry)) (entry as readonly Nested[]).forEach(visit);
    else flat.push(entry as FapPlugin);
  };
  entries.forEach(visit);
  const rank = (p: FapPlugin) => (p.enforce === "pre" ? 0 : p.enforce === "post" ? 2 : 1);
  return flat.sort((a, b) => rank(a) - rank(b));
}
