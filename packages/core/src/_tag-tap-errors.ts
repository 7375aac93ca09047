import type { Hook } from "tapable";
import { FapError, isFapError } from "./errors.js";

/**
 * Whatever a tap throws is re-thrown as `[plugin] hook: message`, so a user knows which plugin
 * failed where. Done once, in a register interceptor, instead of in every plugin.
 */
export function tagTapErrors(hookName: string, hook: Hook<any, any>): void {
  hook.intercept({
    register(tap) {
      const fn = tap.fn as (...args: unknown[]) => unknown;
      const tag = (error: unknown) => tagError(error, tap.name, hookName);
      if (tap.type === "promise") {
        tap.fn = async (...args: unknown[]) => {
          try {
            return await fn(...args);
          } catch (error) {
            throw tag(error);
          }
        };
      } else if (tap.type === "async") {
        tap.fn = (...args: unknown[]) => {
          const callback = args.pop() as (error?: unknown, result?: unknown) => void;
          try {
            fn(...args, (error?: unknown, result?: unknown) => (error ? callback(tag(error)) : callback(undefined, result)));
          } catch (error) {
            callback(tag(error));
          }
        };
      } else {
        tap.fn = (...args: unknown[]) => {
          try {
            return fn(...args);
          } catch (error) {
            throw tag(error);
          }
        };
      }
      return tap;
    },
  });
}

export function tagError(error: unknown, plugin: string, hookName: string): FapError {
  if (isFapError(error) && error.details.plugin !== undefined) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = isFapError(error) ? error.code : "E_PLUGIN";
  return new FapError(code, `[${plugin}] ${hookName}: ${message}`, {
    cause: error,
    hint: isFapError(error) ? error.hint : undefined,
    host: isFapError(error) ? error.host : undefined,
    details: { ...(isFapError(error) ? error.details : {}), plugin, hook: hookName },
  });
}
