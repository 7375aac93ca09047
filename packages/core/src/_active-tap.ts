import type { Hook } from "tapable";

// Per context (a host's, or the run's) the name of the tap or task running on it: taps of one
// hook run in series on a host, so one name at a time is enough.
const active = new WeakMap<object, string>();

/** Who is running on this context now (`fap:git`, `task db:migrate`), for command events. */
export function actorOf(ctx: object): string | undefined {
  return active.get(ctx);
}

/** Runs `work` with `name` as the context's actor, then restores the one before. */
export async function withActor<T>(ctx: object, name: string, work: () => Promise<T>): Promise<T> {
  const before = active.get(ctx);
  active.set(ctx, name);
  try {
    return await work();
  } finally {
    if (before === undefined) active.delete(ctx);
    else active.set(ctx, before);
  }
}

/** Marks each promise tap of `hook` as the actor of the context it is called with. */
export function trackActiveTaps(hook: Hook<any, any>): void {
  hook.intercept({
    register(tap) {
      if (tap.type !== "promise") return tap;
      const fn = tap.fn as (...args: unknown[]) => Promise<unknown>;
      tap.fn = (...args: unknown[]) => {
        const ctx = args[0];
        return typeof ctx === "object" && ctx !== null ? withActor(ctx, tap.name, () => fn(...args)) : fn(...args);
      };
      return tap;
    },
  });
}
