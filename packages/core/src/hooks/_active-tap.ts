import type { Hook } from "tapable";
import { withinFrame } from "../run/host-run-state.js";

/** Runs `work` with `name` as the actor on the context's host (see HostRunState), then the one before again. */
export function withActor<T>(ctx: object, name: string, work: () => Promise<T>): Promise<T> {
  return withinFrame(ctx, { actor: name }, work);
}

/**
 * Marks each tap of `hook` (tap, tapAsync, tapPromise) as the actor on the host it is called
 * for, so the commands it sends name its plugin. Hooks are shared by every host of a run, so
 * the actor lives in the run state of the ctx the tap is given.
 */
export function trackActiveTaps(hook: Hook<any, any>): void {
  hook.intercept({
    register(tap) {
      const fn = tap.fn as (...args: unknown[]) => Promise<unknown>;
      // A tapAsync tap's callback and a sync tap's return value pass through unchanged.
      tap.fn = (...args: unknown[]) => withinFrame(args[0], { actor: tap.name }, () => fn(...args));
      return tap;
    },
  });
}
