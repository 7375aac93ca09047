import type { HostHookName } from "../src/hooks/hooks.js";
import type { FapPlugin } from "../src/plugin.js";
import { sh } from "../src/shell/quote.js";

/**
 * Records `host hook` in `seen` for each call of `hooks`, and throws for the calls `fail` names:
 * `a updating` (every one), or `a checking 2` (a's second).
 */
export function tracer(seen: string[], hooks: HostHookName[], fail: string[] = []): FapPlugin {
  return {
    name: "test:trace",
    apply(fap) {
      for (const hook of hooks) {
        fap.hooks[hook].tapPromise("test:trace", async (ctx) => {
          const call = `${ctx.host} ${hook}`;
          seen.push(call);
          const nth = seen.filter((s) => s === call).length;
          if (fail.includes(call) || fail.includes(`${call} ${nth}`)) throw new Error(`${hook} failed`);
        });
      }
    },
  };
}

/** Notes in `at` when `hook` started on each host (Date.now()): to see the waits between batches. */
export function clock(at: Map<string, number>, hook: HostHookName): FapPlugin {
  return {
    name: "test:clock",
    apply({ hooks }) {
      hooks[hook].tapPromise("test:clock", async (ctx) => void at.set(ctx.host, Date.now()));
    },
  };
}

/** A plugin whose tap at `hook` throws `message` on `host` only. */
export function failAt(hook: HostHookName, host: string, message = "boom"): FapPlugin {
  return {
    name: "test:fail",
    apply({ hooks }) {
      hooks[hook].tapPromise("test:fail", async (ctx) => {
        if (ctx.host === host) throw new Error(message);
      });
    },
  };
}

/** Removes the run's lock on every host in `updated`, as another run breaking it would: the host then refuses this run's finish. */
export function lockThief(): FapPlugin {
  return {
    name: "test:thief",
    apply({ hooks }) {
      hooks.updated.tapPromise("test:thief", async (ctx) => void (await ctx.run(sh`rm -rf ${`${ctx.paths.meta}/lock`}`)));
    },
  };
}
