import { FapError } from "../errors.js";
import { asList, asText, type KeyCheck, type KeySpec, type KeyType } from "./keys.js";

/**
 * One key, declared once: its runtime spec, the factory option that sets its default, the
 * types users write and taps read, and its line in the plugin's docs. Made by `key.string()`,
 * `key.number()` ...; collected with `defineKeys`.
 *
 * `Read` is what `readKeys` returns for it, `Written` what deploy.config.ts and the factory
 * option accept, `Option` the option's name (never: the key has no option).
 */
export interface Key<Read = unknown, Written = unknown, Option extends string = string> {
  readonly type: KeyType;
  readonly option?: Option;
  /** The default when the factory's option is not given. */
  readonly default?: Written;
  /** One line: the hint when a value is wrong. */
  readonly description: string;
  readonly secret?: boolean;
  readonly check?: KeyCheck;
  /** Markdown for the docs' key table when there is more to say than `description`. */
  readonly doc?: string;
  /** The docs' default column when the default is not a value ("required", "the URL's last part"). */
  readonly defaultDoc?: string;
  /** The docs' type column, when the type and check do not say it. */
  readonly typeDoc?: string;
  /** Turns a resolved (type-checked) value into what a tap reads. */
  readonly read: (value: unknown, name: string) => Read;
  /** Type only: what deploy.config.ts accepts. */
  readonly written?: Written;
}

export type AnyKey = Key<any, any, string>;
export type KeyDeclarations = Readonly<Record<string, AnyKey>>;

interface Declared<Written, Option extends string> {
  /** camelCase name of the factory option that sets the default (`maxTime` for `curl_max_time`). */
  option?: Option;
  description: string;
  secret?: boolean;
  check?: KeyCheck;
  doc?: string;
  defaultDoc?: string;
  typeDoc?: string;
  default?: Written;
}

type WithDefault<W, O extends string> = Declared<W, O> & { default: W };

function make<R, W, O extends string>(type: KeyType, declared: Declared<W, O>, read: (value: unknown, name: string) => R): Key<R, W, NoInfer<O>> {
  return { ...declared, type, read };
}

/** Unset, or null written in YAML, reads as the declared default. */
function orDefault<T>(fallback: T | undefined, value: unknown): T | undefined {
  return value === undefined || value === null ? fallback : (value as T);
}

function string<const O extends string = never>(declared: Declared<string, O>): Key<string | undefined, string, NoInfer<O>> {
  // Empty reads as unset: a key left blank in YAML or `--key=` means "not set".
  return make("string", declared, (value) => asText(value));
}

function number<const O extends string = never>(declared: WithDefault<number, O>): Key<number, number, NoInfer<O>>;
function number<const O extends string = never>(declared: Declared<number, O>): Key<number | undefined, number, NoInfer<O>>;
function number<const O extends string>(declared: Declared<number, O>): Key<number | undefined, number, NoInfer<O>> {
  return make("number", declared, (value) => orDefault(declared.default, value));
}

function boolean<const O extends string = never>(declared: Declared<boolean, O>): Key<boolean, boolean, NoInfer<O>> {
  return make("boolean", declared, (value) => orDefault(declared.default, value) === true);
}

/** A list; a single string is a list of one (Fapistrano's examples write `linked_files: app/x.py`). */
function list<const O extends string = never>(declared: Declared<string | string[], O>): Key<string[], string | string[], NoInfer<O>> {
  return make("list", { typeDoc: "list of strings", ...declared }, (value) => asList(orDefault(declared.default, value)));
}

/** A command or argument list: a string is split on whitespace, a list is taken word for word. */
function words<const O extends string = never>(declared: Declared<string | string[], O>): Key<string[], string | string[], NoInfer<O>> {
  return make("list", { typeDoc: "string or list", ...declared }, (value, name) => splitWords(orDefault(declared.default, value), name));
}

/** One of a few strings (`production`, `development`, `none`); anything else is refused with the choices. */
function oneOf<const V extends string, const O extends string = never>(values: readonly V[], declared: WithDefault<V, O>): Key<V, V, NoInfer<O>>;
function oneOf<const V extends string, const O extends string = never>(values: readonly V[], declared: Declared<V, O>): Key<V | undefined, V, NoInfer<O>>;
function oneOf<const V extends string, const O extends string>(values: readonly V[], declared: Declared<V, O>): Key<V | undefined, V, NoInfer<O>> {
  const check: KeyCheck = (value) => ((values as readonly unknown[]).includes(value) ? undefined : `must be one of ${values.join(", ")}`);
  const typeDoc = values.map((v) => `\`${v}\``).join(" \\| ");
  return make("string", { check, typeDoc, ...declared }, (value) => orDefault(declared.default, asText(value)) as V | undefined);
}

/** A map of names to text (core's `environment`). */
function map<const O extends string = never>(declared: Declared<Record<string, string>, O>): Key<Record<string, unknown>, Record<string, string>, NoInfer<O>> {
  return make("map", declared, (value) => (orDefault(declared.default, value) ?? {}) as Record<string, unknown>);
}

/** Hook name → shell command(s), interpolated with quoting (core's `hooks`). */
function commands<const O extends string = never>(
  declared: Declared<Partial<Record<string, string | string[]>>, O>,
): Key<Record<string, string | string[]>, Partial<Record<string, string | string[]>>, NoInfer<O>> {
  return make("commands", declared, (value) => (orDefault(declared.default, value) ?? {}) as Record<string, string | string[]>);
}

/** The key builders: `key.string({ option: "url", description: "..." })`. */
export const key = { string, number, boolean, list, words, oneOf, map, commands };

/**
 * Collects a plugin's keys; the object's type carries every key's types (see KeyOptions,
 * KeyValues, ConfigValuesOf). `docs` gives keys their `doc` in one place, after the
 * declarations, so that the long docs-table texts do not split each key over several lines.
 */
export function defineKeys<const K extends KeyDeclarations>(keys: K, docs?: { readonly [N in keyof K]?: string }): K {
  if (docs === undefined) return keys;
  const texts: Readonly<Record<string, string | undefined>> = docs;
  for (const name of Object.keys(texts)) {
    if (!Object.hasOwn(keys, name)) throw new FapError("E_CONFIG", `defineKeys: a doc for '${name}', which is not declared`);
  }
  return Object.fromEntries(Object.entries(keys).map(([name, declared]) => [name, texts[name] === undefined ? declared : { ...declared, doc: texts[name] }])) as K;
}

/** The runtime spec of one declared key, with `fallback` as its default. */
export function keySpec(declared: AnyKey, fallback: unknown): KeySpec {
  const spec: KeySpec = { type: declared.type, description: declared.description };
  if (fallback !== undefined) spec.default = fallback;
  if (declared.secret) spec.secret = true;
  if (declared.check) spec.check = declared.check;
  return spec;
}

function splitWords(value: unknown, name: string): string[] {
  if (value === undefined || value === null || value === "") return [];
  if (!Array.isArray(value)) return String(value).trim().split(/\s+/).filter(Boolean);
  return value.map((item) => {
    const word = String(item);
    // `- --find-links /srv/wheels` in YAML is one word to the program, which it would refuse.
    if (/^-/.test(word) && /\s/.test(word) && !word.includes("=")) {
      throw new FapError("E_CONFIG", `${name}: '${word}' is one list item but looks like an option and its value`, {
        hint: `write them as two items, or as one word: ${word.replace(/\s+/, "=")}`,
      });
    }
    return word;
  });
}
