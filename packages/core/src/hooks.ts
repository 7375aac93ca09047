import { AsyncSeriesHook } from "tapable";
import type { HostContext, RunContext } from "./context.js";
import type { FapError } from "./errors.js";
import { tagTapErrors } from "./_tag-tap-errors.js";
import { trackActiveTaps } from "./_active-tap.js";

/**
 * Every hook of fap, on one frozen object. Host hooks are called once per host, concurrently
 * across hosts, and each is a barrier: the next one starts when all hosts finished this one.
 * Deploy:   starting started updating updated publishing published finishing finished
 * Rollback: starting started reverting reverted publishing published finishingRollback finished
 * Restart:  restarting restarted
 * `ctx.flow` tells taps of shared hooks which flow is running.
 */
export function createHooks() {
  const hooks = {
    // build stage: once, locally, before any host is touched
    building: new AsyncSeriesHook<[RunContext]>(["run"], "building"),
    built: new AsyncSeriesHook<[RunContext]>(["run"], "built"),

    starting: new AsyncSeriesHook<[HostContext]>(["ctx"], "starting"),
    started: new AsyncSeriesHook<[HostContext]>(["ctx"], "started"),

    updating: new AsyncSeriesHook<[HostContext]>(["ctx"], "updating"),
    updated: new AsyncSeriesHook<[HostContext]>(["ctx"], "updated"),

    reverting: new AsyncSeriesHook<[HostContext]>(["ctx"], "reverting"),
    reverted: new AsyncSeriesHook<[HostContext]>(["ctx"], "reverted"),

    publishing: new AsyncSeriesHook<[HostContext]>(["ctx"], "publishing"),
    published: new AsyncSeriesHook<[HostContext]>(["ctx"], "published"),

    finishing: new AsyncSeriesHook<[HostContext]>(["ctx"], "finishing"),
    finishingRollback: new AsyncSeriesHook<[HostContext]>(["ctx"], "finishingRollback"),
    finished: new AsyncSeriesHook<[HostContext]>(["ctx"], "finished"),

    restarting: new AsyncSeriesHook<[HostContext]>(["ctx"], "restarting"),
    restarted: new AsyncSeriesHook<[HostContext]>(["ctx"], "restarted"),

    // once per run, with the error that stopped it
    failed: new AsyncSeriesHook<[FapError, RunContext]>(["error", "run"], "failed"),
  };
  for (const [name, hook] of Object.entries(hooks)) {
    tagTapErrors(name, hook);
    trackActiveTaps(hook);
  }
  return Object.freeze(hooks);
}

export type Hooks = ReturnType<typeof createHooks>;
export type HostHookName = { [K in keyof Hooks]: Hooks[K] extends AsyncSeriesHook<[HostContext]> ? K : never }[keyof Hooks];
