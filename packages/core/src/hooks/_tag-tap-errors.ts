import type { Hook } from "tapable";
import { FapError, fapErrorOptions, isFapError } from "../errors.js";

/**
 * Whatever a tap throws is re-thrown as a FapError naming the plugin, the hook and the host
 * (its ctx's), so a user knows which plugin failed where. Done once, in a register
 * interceptor, instead of in every plugin.
 */
export function tagTapErrors(hookName: string, hook: Hook<any, any>): void {
  hook.intercept({
    register(tap) {
      const fn = tap.fn as (...args: unknown[]) => unknown;
      const tag = (error: unknown, args: unknown[]) => tagError(error, tap.name, hookName, hostOf(args[0]));
      if (tap.type === "promise") {
        tap.fn = async (...args: unknown[]) => {
          try {
            return await fn(...args);
          } catch (error) {
            throw tag(error, args);
          }
        };
      } else if (tap.type === "async") {
        tap.fn = (...args: unknown[]) => {
          const callback = args.pop() as (error?: unknown, result?: unknown) => void;
          try {
            fn(...args, (error?: unknown, result?: unknown) => (error ? callback(tag(error, args)) : callback(undefined, result)));
          } catch (error) {
            callback(tag(error, args));
          }
        };
      } else {
        tap.fn = (...args: unknown[]) => {
          try {
            return fn(...args);
          } catch (error) {
            throw tag(error, args);
          }
        };
      }
      return tap;
    },
  });
}

/**
 * The error as a FapError naming the plugin and hook it came from (fields, not text: see
 * formatFapError). The innermost tag wins: a task of a plugin run at a hook keeps its plugin,
 * and gets the hook if it had none. No hook: a task run by `fap run` (its step is the phase).
 */
export function tagError(error: unknown, plugin: string, hookName: string | undefined, host?: string): FapError {
  if (isFapError(error) && error.plugin !== undefined && (error.hook !== undefined || hookName === undefined)) return error;
  if (isFapError(error)) {
    return new FapError(error.code, error.message, {
      ...fapErrorOptions(error),
      plugin: error.plugin ?? plugin,
      hook: error.hook ?? hookName,
      host: error.host ?? host,
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new FapError("E_PLUGIN", message, { cause: error, plugin, hook: hookName, host });
}

/** The host of a host hook's ctx; undefined for run hooks. */
function hostOf(ctx: unknown): string | undefined {
  const host = typeof ctx === "object" && ctx !== null && !(ctx instanceof Error) ? (ctx as { host?: unknown }).host : undefined;
  return typeof host === "string" ? host : undefined;
}
