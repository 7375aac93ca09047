import { FapError } from "../errors.js";
import type { KeySpecs } from "./keys.js";

/**
 * Keys as a plugin's build stage (once, before any host) can see them: the plugin's options
 * (its keys' defaults), overridden by the config's top level. Stages, roles and the command
 * line reach only the hosts, and nothing resolves `%(...)s` yet, so such a value is refused.
 * `before` starts the hint: "the tree is read", "the build runs".
 */
export function buildStageValues(config: Readonly<Record<string, unknown>>, keys: KeySpecs, names: readonly string[], before: string): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const key of names) {
    const value = config[key] ?? keys[key]?.default;
    if (typeof value === "string" && value.includes("%(")) {
      throw new FapError("E_CONFIG", `${key} '${value}' uses %(...)s, which the build stage cannot resolve`, {
        hint: `${before} before any host's keys are resolved: write ${key} out in full`,
      });
    }
    values[key] = value;
  }
  return values;
}
