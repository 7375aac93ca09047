import { FapError } from "../errors.js";
import { quote } from "../shell/quote.js";
import { dictionary } from "./own.js";

const PLACEHOLDER = /%\(([A-Za-z0-9_.-]+)\)[sd]/g;

export interface InterpolateOptions {
  /** Quote each inserted value for the shell: for keys holding commands the user wrote. */
  shell?: boolean;
}

/**
 * Resolves Fapistrano's `%(key)s` placeholders in every string of `values` (recursively in
 * lists and maps), against `values` itself: a key may refer to keys that refer to others.
 * Non-string leaves are kept as they are. `shellKeys` are resolved with quoting.
 */
export function interpolateAll(
  values: Readonly<Record<string, unknown>>,
  shellKeys: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const resolved = new Map<string, unknown>();
  const resolving: string[] = [];

  const lookup = (key: string, usedBy: string): unknown => {
    if (resolved.has(key)) return resolved.get(key);
    if (!Object.hasOwn(values, key)) {
      throw new FapError("E_INTERPOLATION", `unknown key '${key}' in %(${key})s, used by '${usedBy}'`, {
        hint: `define '${key}' at the top level, in the stage or in the role`,
      });
    }
    if (resolving.includes(key)) {
      const cycle = [...resolving.slice(resolving.indexOf(key)), key].join(" → ");
      throw new FapError("E_INTERPOLATION", `interpolation cycle: ${cycle}`, {
        hint: "break the cycle so that one of these keys has a plain value",
      });
    }
    resolving.push(key);
    const value = walk(values[key], key, { shell: shellKeys.has(key) });
    resolving.pop();
    resolved.set(key, value);
    return value;
  };

  const walk = (value: unknown, owner: string, options: InterpolateOptions): unknown => {
    // Most strings hold no placeholder (a fleet's host list has one per host, walked for every host).
    if (typeof value === "string") return value.includes("%(") ? interpolateString(value, (k) => lookup(k, owner), options) : value;
    if (Array.isArray(value)) return value.map((item) => walk(item, owner, options));
    if (isPlainObject(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, owner, options)]));
    }
    return value;
  };

  const out = dictionary<unknown>();
  for (const key of Object.keys(values)) out[key] = lookup(key, key);
  return out;
}

/** One string: each `%(key)s` replaced by `lookup(key)`; lists/maps refuse to become text. */
export function interpolateString(
  template: string,
  lookup: (key: string) => unknown,
  options: InterpolateOptions = {},
): string {
  return template.replace(PLACEHOLDER, (_match, key: string) => {
    const value = lookup(key);
    if (value !== null && typeof value === "object") {
      throw new FapError("E_INTERPOLATION", `%(${key})s is a ${Array.isArray(value) ? "list" : "map"}, not text`, {
        hint: `refer to a key that holds a string or a number`,
      });
    }
    const text = value === undefined || value === null ? "" : String(value);
    return options.shell ? quote(text) : text;
  });
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);
}
