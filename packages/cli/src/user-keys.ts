import { dictionary, own, type FapConfig, type KeySpec, type KeySpecs } from "@fap/core/internal";

/** Entries of a config that are structure, not keys. */
const STRUCTURE = new Set(["plugins", "stage_role_configs", "tasks"]);

/**
 * The keys the config file defines that no plugin declares (Fapistrano took `--any-key=value`
 * for any key of deploy.yml): top level, a stage's keys, and each role's. Each is typed by the
 * value written, so `--retries=3` stays a number where the file has a number.
 */
export function userKeys(config: FapConfig, declared: KeySpecs): KeySpecs {
  const found = dictionary<KeySpec>();
  const add = (values: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(values)) {
      if (STRUCTURE.has(key) || own(declared, key) || own(found, key)) continue;
      found[key] = { type: typeOf(value), description: "set in the config file" };
    }
  };
  add(config as Record<string, unknown>);
  for (const stage of Object.values(config.stage_role_configs ?? {})) {
    if (!isPlainObject(stage)) continue;
    for (const [name, value] of Object.entries(stage)) {
      // In a stage, a map is a role; anything else is a key of the whole stage.
      if (isPlainObject(value)) add(value);
      else add({ [name]: value });
    }
  }
  return found;
}

function typeOf(value: unknown): KeySpec["type"] {
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return "number";
  if (Array.isArray(value)) return "list";
  if (isPlainObject(value)) return "map";
  return "string";
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
