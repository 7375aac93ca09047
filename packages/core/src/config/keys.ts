import { FapError } from "../errors.js";
import { isPlainObject } from "./interpolate.js";

/** A rule beyond the type (see KeySpec.check); `doc`, when set, is shown in the key's type column of the docs ("> 0"). */
export type KeyCheck = ((value: unknown) => string | undefined) & { readonly doc?: string };

export type KeyType = "string" | "number" | "boolean" | "list" | "map" | "commands";

/** A config key a plugin (or core) reads: its type, default and one line for `fap config`. */
export interface KeySpec {
  type: KeyType;
  default?: unknown;
  description: string;
  /** Never printed: shown as *** in `fap config`, redacted in output. */
  secret?: boolean;
  /**
   * A rule beyond the type, checked once the type is right: returns what is wrong, to follow
   * the key's name ("must be a whole number of at least 1"), or undefined when the value is fine.
   */
  check?: (value: unknown) => string | undefined;
  /** A shell command the user wrote (a string key): `%(key)s` values are quoted into it, as in `commands`. */
  shell?: boolean;
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
    const bad = spec.type === "commands" && isPlainObject(value) ? Object.entries(value).find(([, v]) => !isCommands(v)) : undefined;
    const message = bad
      ? `'${key}.${bad[0]}' must be a command or a list of commands, got ${describeValue(bad[1])}`
      : `'${key}' must be ${describeType(spec.type)}, got ${spec.secret ? typeof value : describeValue(value)}`;
    throw new FapError("E_CONFIG", `${where}: ${message}`, { hint: `${key}: ${spec.description}` });
  }
  const problem = spec.check?.(value);
  if (problem !== undefined) {
    // A secret's value is never part of a message.
    const got = spec.secret ? "" : `, got ${describeValue(value)}`;
    throw new FapError("E_CONFIG", `${where}: '${key}' ${problem}${got}`, { hint: `${key}: ${spec.description}` });
  }
}

/** For `check`: a whole number of at least `min` (counts, hosts at once). */
export function wholeNumberAtLeast(min: number): KeyCheck {
  const check = (value: unknown) => (Number.isInteger(value) && (value as number) >= min ? undefined : `must be a whole number of at least ${min}`);
  return Object.assign(check, { doc: `whole, ≥ ${min}` });
}

/** For `check`: a number above 0 (durations in seconds). */
export const aboveZero: KeyCheck = Object.assign(
  (value: unknown) => (typeof value === "number" && value > 0 ? undefined : "must be a number above 0"),
  { doc: "> 0" },
);

/** For `check`: an HTTP status (100-599), e.g. the answer a health check expects. */
export const httpStatus: KeyCheck = Object.assign(
  (value: unknown) => (Number.isInteger(value) && (value as number) >= 100 && (value as number) <= 599 ? undefined : "must be an HTTP status (100-599)"),
  { doc: "100-599" },
);

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
      return isPlainObject(value) && Object.values(value).every(isCommands);
  }
}

function isCommands(value: unknown): boolean {
  return typeof value === "string" || (Array.isArray(value) && value.every((c) => typeof c === "string"));
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

/** A key's value as text; unset and empty both read as undefined (a key left blank means unset). */
export function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value);
  return text === "" ? undefined : text;
}

/** A single string where a list is expected is a list of one (Fapistrano's examples write `linked_files: app/x.py`). */
export function asList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(String);
  return [String(value)];
}
