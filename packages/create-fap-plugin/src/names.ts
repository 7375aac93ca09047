/** Every name the scaffold derives from what the user typed. */
export interface PluginNames {
  /** The npm package: `fap-plugin-my-thing`, `@acme/fap-plugin-my-thing`. */
  packageName: string;
  /** `my-thing`. */
  shortName: string;
  /** What users write in `plugins:` of deploy.yml: `my-thing`, `@acme/my-thing`. */
  useName: string;
  /** The factory's identifier: `myThing`. */
  factory: string;
  /** `MyThingOptions`. */
  optionsType: string;
  /** Prefix of the plugin's keys: `my_thing` (keys share one namespace across plugins). */
  keyPrefix: string;
  /** The file the example hook writes: `MY_THING`. */
  fileName: string;
  /** Default folder to create: the name as typed, without its scope. */
  dir: string;
}

const SHORT = /^[a-z0-9][a-z0-9._-]*$/;

// Words a factory cannot be called, as `export default function NAME`.
const RESERVED = new Set(
  ("break case catch class const continue debugger default delete do else enum export extends false finally for function if " +
    "implements import in instanceof interface let new null package private protected public return static super switch this " +
    "throw true try typeof var void while with yield await arguments eval").split(" "),
);

/**
 * `my-thing`, `fap-plugin-my-thing`, `@acme/my-thing` or `@acme/fap-plugin-my-thing`: the
 * package is named `fap-plugin-<name>` (scoped or not), which is what fap looks for when a
 * config names the plugin `<name>`. Throws with a one-line reason for anything else.
 */
export function pluginNames(input: string): PluginNames {
  const match = /^(?:@([a-z0-9][a-z0-9._-]*)\/)?(.+)$/.exec(input.trim());
  const scope = match?.[1];
  const typed = match?.[2] ?? "";
  const shortName = typed.startsWith("fap-plugin-") ? typed.slice("fap-plugin-".length) : typed;
  if (!SHORT.test(shortName) || shortName.length > 80) {
    throw new Error(
      `'${input}' is not a plugin name: use lowercase letters, digits and '-', e.g. my-thing or @acme/my-thing`,
    );
  }
  const words = shortName.split(/[._-]+/).filter(Boolean);
  const camel = words.map((word, i) => (i === 0 ? word : word[0]!.toUpperCase() + word.slice(1))).join("");
  let factory = /^[0-9]/.test(camel) ? `plugin${camel[0]!.toUpperCase()}${camel.slice(1)}` : camel;
  if (RESERVED.has(factory)) factory = `${factory}Plugin`;
  const pascal = factory[0]!.toUpperCase() + factory.slice(1);
  const packageName = scope ? `@${scope}/fap-plugin-${shortName}` : `fap-plugin-${shortName}`;
  return {
    packageName,
    shortName,
    useName: scope ? `@${scope}/${shortName}` : shortName,
    factory,
    optionsType: `${pascal}Options`,
    keyPrefix: words.join("_"),
    fileName: words.join("_").toUpperCase(),
    dir: typed,
  };
}
