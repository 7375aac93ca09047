import { FapError } from "../errors.js";
import type { AnyKey, Key, KeyDeclarations } from "./declare-keys.js";
import { keySpec } from "./declare-keys.js";
import { isPlainObject } from "./interpolate.js";
import { checkKeyType, type KeySpecs } from "./keys.js";

/** The key's option name; never when it has none. */
type OptionOf<D extends AnyKey> = NonNullable<D["option"]>;

/** The factory's options: each key's `option` name → what deploy.config.ts accepts for the key; all optional. */
export type KeyOptions<K extends KeyDeclarations> = {
  -readonly [N in keyof K as OptionOf<K[N]>]?: K[N] extends Key<any, infer W, any> ? W : never;
};

/** What a tap reads with `readKeys`: every key, typed, lists already lists. */
export type KeyValues<K extends KeyDeclarations> = { readonly [N in keyof K]: K[N] extends Key<infer R, any, any> ? R : never };

/**
 * The keys as deploy.config.ts writes them, for `ConfigValues`:
 * `declare module "@fap/core" { interface ConfigValues extends ConfigValuesOf<typeof KEYS> {} }`.
 */
export type ConfigValuesOf<K extends KeyDeclarations> = { -readonly [N in keyof K]?: K[N] extends Key<any, infer W, any> ? W : never };

/**
 * A plugin's runtime specs (its `config`): each key's factory option, when given, becomes its
 * default. The options are checked against the declaration first (type and `check`), so a
 * wrong one stops the run with `[plugin] options: 'maxTime' must be a number, got string "5"`.
 */
export function toKeySpecs<K extends KeyDeclarations>(plugin: string, keys: K, options: KeyOptions<K> | undefined = {}): KeySpecs {
  const byOption = new Map<string, [string, AnyKey]>();
  for (const [name, declared] of Object.entries(keys)) if (declared.option !== undefined) byOption.set(declared.option, [name, declared]);
  const where = `[${plugin}] options`;
  if (!isPlainObject(options)) {
    throw new FapError("E_CONFIG", `${where}: expected an object of options, got ${typeof options}`, { hint: `options are: ${[...byOption.keys()].join(", ")}` });
  }
  for (const [option, value] of Object.entries(options)) {
    const found = byOption.get(option);
    if (found === undefined) {
      throw new FapError("E_CONFIG", `${where}: unknown option '${option}'`, { hint: `options are: ${[...byOption.keys()].join(", ") || "none"}` });
    }
    if (value !== undefined) checkKeyType(option, keySpec(found[1], undefined), value, where);
  }
  const given = options as Readonly<Record<string, unknown>>;
  return Object.fromEntries(
    Object.entries(keys).map(([name, declared]) => {
      const option = declared.option === undefined ? undefined : given[declared.option];
      return [name, keySpec(declared, option ?? declared.default)];
    }),
  );
}

/**
 * The plugin's `toKeySpecs` with its name and keys given once, for a plugin that exports it
 * beside its keys: `export const curlKeys = keySpecsFactory(PLUGIN_NAME, CURL_KEYS)`.
 */
export function keySpecsFactory<K extends KeyDeclarations>(plugin: string, keys: K): (options?: KeyOptions<K>) => KeySpecs {
  return (options = {}) => toKeySpecs(plugin, keys, options);
}

/**
 * A host's resolved config, typed for one plugin's keys (`readKeys(ctx.config, KEYS)`): strings
 * as text (empty is unset), numbers and booleans with their declared default, lists as lists.
 * Each value is checked against its declaration, so a tap needs no casts.
 */
export function readKeys<K extends KeyDeclarations>(config: Readonly<Record<string, unknown>>, keys: K): KeyValues<K> {
  const values: Record<string, unknown> = {};
  for (const [name, declared] of Object.entries(keys)) {
    // Resolved configs are checked already; this catches values that did not come through one.
    checkKeyType(name, keySpec(declared, undefined), config[name], "config");
    values[name] = declared.read(config[name], name);
  }
  return values as KeyValues<K>;
}
