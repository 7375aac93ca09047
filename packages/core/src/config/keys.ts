import { FapError } from "../errors.js";
import { isPlainObject } from "./interpolate.js";

export type KeyType = "string" | "number" | "boolean" | "list" | "map" | "commands";

/** A config key a plugin (or core) reads: its type, default and one line for `fap config`. */
export interface KeySpec {
  type: KeyType;
  default?: unknown;
  description: string;
  /** Never printed: shown as *** in `fap config`, redacted in output. */
  secret?: boolean;
}

export type KeySpecs = Readonly<Record<string, KeySpec>>;

/**
 * Checks a value against its declared type. `commands` is a map of hook name → shell commands
 * the user wrote; its values are interpolated with quoting.
 */
export function checkKeyType(key: string, spec: KeySpec, value: unknown, where: string): void {
  if (value === undefined || value === null) return;
  const ok = matchesType(spec.type, value);
  if (!ok) {
    throw new FapError("E_CONFIG", `${where}: '${key}' must be ${describeType(spec.type)}, got ${describeValue(value)}`, {
      hint: `${key}: ${spec.description}`,
    });
  }
}

function matchesType(type: KeyType, value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string" || typeof value === "number";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "list":
      return Array.isArray(value) || typeof value === "string";
    case "map":
      return isPlainObject(value);
    case "commands":
      return isPlainObject(value) && Object.values(value).every((v) => typeof v === "string" || (Array.isArray(v) && v.every((c) => typeof c === "string")));
  }
}

function describeType(type: KeyType): string {
  return {
    string: "a string",
    number: "a number",
    boolean: "true or false",
    list: "a list",
    map: "a map",
    commands: "a map of hook name to a command or a list of commands",
  }[type];
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (isPlainObject(value)) return "a map";
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** A single string where a list is expected is a list of one (the seed writes `linked_files: app/x.py`). */
export function asList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(String);
  return [String(value)];
}
