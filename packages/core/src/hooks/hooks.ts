import { AsyncSeriesHook } from "tapable";
import type { HostContext, RunContext } from "../context.js";
import type { FapError } from "../errors.js";
import type { RunSummary } from "../run/run-summary.js";
import { tagTapErrors } from "./_tag-tap-errors.js";
import { trackActiveTaps } from "./_active-tap.js";

/** tapable's tap options: a name, and optionally `stage` and `before` to reorder. */
export type TapOptions = string | { name: string; stage?: number; before?: string | string[] };

/**
 * A tapable AsyncSeriesHook whose taps may return anything: fap ignores what a tap returns,
 * so `async (run) => { if (run.dryRun) return run.events.emit(...); }` type-checks (tapable's
 * own type wants `Promise<void>` and refuses it).
 */
export type FapHook<T extends unknown[]> = Omit<AsyncSeriesHook<T>, "tap" | "tapPromise" | "tapAsync"> & {
  tap(options: TapOptions, fn: (...args: T) => unknown): void;
  tapPromise(options: TapOptions, fn: (...args: T) => Promise<unknown>): void;
  tapAsync(options: TapOptions, fn: (...args: [...T, (error?: Error | null, result?: unknown) => void]) => void): void;
};

function hook<T extends unknown[]>(args: string[], name: string): FapHook<T> {
  return new AsyncSeriesHook<T>(args as never, name) as unknown as FapHook<T>;
}

/**
 * The host hooks, in the order a deploy, a rollback and a restart meet them: the one list of
 * them (config `hooks` entries, the hooks object and its types are made from it).
 * `checking` is deploy's only: is the app healthy on this host? After each batch's
 * `published`, and again after a canary's wait; a failure puts every host back, as one in
 * `published` does.
 */
export const HOST_HOOK_NAMES = Object.freeze([
  "starting", "started", "updating", "updated", "reverting", "reverted", "publishing", "published",
  "checking", "finishing", "finishingRollback", "finished", "restarting", "restarted",
] as const);

export type HostHookName = (typeof HOST_HOOK_NAMES)[number];

function hostHooks(): { [K in HostHookName]: FapHook<[HostContext]> } {
  return Object.fromEntries(HOST_HOOK_NAMES.map((name) => [name, hook<[HostContext]>(["ctx"], name)])) as { [K in HostHookName]: FapHook<[HostContext]> };
}

/**
 * Every hook of fap, on one frozen object. Host hooks are called once per host, concurrently
 * across hosts, and each is a barrier: the next one starts when all hosts finished this one.
 * Deploy:   starting started updating updated publishing published checking finishing finished
 * Rollback: starting started reverting reverted publishing published finishingRollback finished
 * Restart:  restarting restarted
 * `ctx.flow` tells taps of shared hooks which flow is running. The outcome hooks (succeeded or
 * failed, then completed) are called once per run of every flow that runs on hosts.
 */
export function createHooks() {
  const hooks = {
    // build stage: once, locally, before any host is touched
    building: hook<[RunContext]>(["run"], "building"),
    built: hook<[RunContext]>(["run"], "built"),

    ...hostHooks(),

    // Outcome of the run, once per run, with one summary of every target (see run-summary.ts).
    // `completed`, not `finished`: `finished` is the last host hook of a deploy or rollback.
    succeeded: hook<[RunSummary, RunContext]>(["summary", "run"], "succeeded"),
    failed: hook<[FapError, RunContext, RunSummary]>(["error", "run", "summary"], "failed"),
    completed: hook<[RunSummary, RunContext]>(["summary", "run"], "completed"),
  };
  for (const [name, each] of Object.entries(hooks)) {
    const tapable = each as unknown as AsyncSeriesHook<unknown[]>;
    tagTapErrors(name, tapable);
    trackActiveTaps(tapable);
  }
  return Object.freeze(hooks);
}

export type Hooks = ReturnType<typeof createHooks>;
/** The hooks called once per run, with what the run came to. */
export type OutcomeHookName = "succeeded" | "failed" | "completed";
