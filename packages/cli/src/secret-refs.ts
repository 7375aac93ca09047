import { isPlainObject, type FapConfig } from "@fap/core/internal";

const ENV_REF = /^env:([A-Za-z_][A-Za-z0-9_]*)$/;

/** Stands for the value of $NAME in `fap config`; shown as ***. */
export const markOf = (name: string) => `\u0000env:${name}\u0000`;
const MARKED = /\u0000env:([A-Za-z_][A-Za-z0-9_]*)\u0000/g;

/**
 * The config with every `env:NAME` value replaced by a mark instead of read: `fap config`
 * must show where a secret goes without reading it, and work where it is not set.
 */
export function maskSecretRefs(config: FapConfig): { config: FapConfig; names: Map<string, string> } {
  const names = new Map<string, string>();
  const walk = (value: unknown, where: string): unknown => {
    if (typeof value === "string") {
      const name = ENV_REF.exec(value)?.[1];
      if (name === undefined) return value;
      names.set(where, name);
      return markOf(name);
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, `${where}[${i}]`));
    if (isPlainObject(value)) {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, where === "" && (k === "plugins" || k === "tasks") ? v : walk(v, where ? `${where}.${k}` : k)]),
      );
    }
    return value;
  };
  return { config: walk(config, "") as FapConfig, names };
}

/** A value for display: any part that came from the environment becomes ***. */
export function unmask(text: string): string {
  return text.replace(MARKED, "***");
}

/** The environment variables a (masked) value came from. */
export function secretNames(value: unknown): string[] {
  const names = new Set<string>();
  JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "string") for (const m of v.matchAll(MARKED)) names.add(m[1]!);
    return v;
  });
  return [...names];
}
