import type { HostContext, Once, OnceOptions, RunTarget } from "../context.js";
import { FapError } from "../errors.js";

/** The run's targets as taps see them: without their config layers, frozen. */
export function targetsOfRun(targets: readonly RunTarget[]): readonly RunTarget[] {
  return Object.freeze(targets.map((t) => Object.freeze({ host: t.host, stage: t.stage, role: t.role, primary: t.primary, labels: t.labels })));
}

/**
 * The `once` work of one run: made by the session with the hosts' contexts and dropped with
 * them, so nothing is kept from one run to the next (a plugin's module-level map would be).
 */
export class OnceRegistry {
  readonly #started = new Map<string, Promise<unknown>>();

  /** `once` bound to one host's context: what that host's taps call as `ctx.once`. */
  forHost(ctx: () => HostContext): Once {
    return async <T>(key: string, fn: (ctx: HostContext) => T | PromiseLike<T>, options: OnceOptions = {}): Promise<T> => {
      const caller = ctx();
      checkOptions(key, options, caller.host);
      const scoped = scopeKey(key, options.per ?? "run", caller);
      const started = this.#started.get(scoped);
      if (started === undefined) {
        const mine = Promise.resolve().then(() => fn(caller));
        this.#started.set(scoped, mine);
        return mine;
      }
      if (options.ifFailed === "each") return (started as Promise<T>).then((value) => value, () => fn(caller));
      return started as Promise<T>;
    };
  }
}

function scopeKey(key: string, per: NonNullable<OnceOptions["per"]>, ctx: HostContext): string {
  if (per === "target") return `target\0${ctx.stage}\0${ctx.role}\0${ctx.host}\0${key}`;
  if (per === "stage") return `stage\0${ctx.stage}\0${key}`;
  if (per === "role") return `role\0${ctx.stage}\0${ctx.role}\0${key}`;
  return `run\0${key}`;
}

function checkOptions(key: string, options: OnceOptions, host: string): void {
  const problem =
    typeof key !== "string" || key === "" ? "a non-empty key"
    : ![undefined, "run", "stage", "role", "target"].includes(options.per) ? `per: "run", "stage", "role" or "target", not ${JSON.stringify(options.per)}`
    : ![undefined, "share", "each"].includes(options.ifFailed) ? `ifFailed: "share" or "each", not ${JSON.stringify(options.ifFailed)}`
    : undefined;
  if (problem !== undefined) throw new FapError("E_PLUGIN", `ctx.once(key, fn, options) needs ${problem}`, { host });
}
