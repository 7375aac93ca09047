import { dictionary, FapError, own, type KeySpec, type KeySpecs } from "@fap/core/internal";

/**
 * Config values given on the command line: `--set key=value` and, as in the seed,
 * `--some-key=value` for any known key (kebab-case of `some_key`). Strings become the key's
 * declared type, so `--keep-releases=3` is a number and a commit `--branch=0123` stays text.
 */
export function cliValues(extraArgs: readonly string[], sets: readonly string[], keys: KeySpecs): Record<string, unknown> {
  const raw: Array<[string, string | undefined, string]> = [];
  for (let i = 0; i < extraArgs.length; i++) {
    const arg = extraArgs[i]!;
    const match = /^--([A-Za-z0-9][A-Za-z0-9_-]*)(?:=([\s\S]*))?$/.exec(arg);
    if (!match?.[1]) throw new FapError("E_USAGE", `unexpected argument '${arg}'`, { hint: "see fap --help" });
    let value = match[2];
    if (value === undefined && i + 1 < extraArgs.length && !extraArgs[i + 1]!.startsWith("--")) value = extraArgs[++i];
    raw.push([match[1].replace(/-/g, "_"), value, `--${match[1]}`]);
  }
  for (const set of sets) {
    const eq = set.indexOf("=");
    if (eq <= 0) throw new FapError("E_USAGE", `--set ${set}: expected key=value`, { hint: "e.g. --set keep_releases=3" });
    raw.push([set.slice(0, eq), set.slice(eq + 1), `--set ${set.slice(0, eq)}`]);
  }
  const values = dictionary<unknown>();
  for (const [key, value, written] of raw) {
    const spec = own(keys, key);
    if (!spec) {
      throw new FapError("E_USAGE", `unknown option ${written}: no plugin or core key is called '${key}'`, {
        hint: "check the spelling; `fap --help` lists options, and a plugin's keys exist only when the plugin is in plugins",
      });
    }
    values[key] = coerce(key, spec, value, written);
  }
  return values;
}

function coerce(key: string, spec: KeySpec, value: string | undefined, written: string): unknown {
  if (spec.type === "boolean") {
    if (value === undefined || value === "true" || value === "yes" || value === "1") return true;
    if (value === "false" || value === "no" || value === "0") return false;
    throw new FapError("E_USAGE", `${written}: '${value}' is not true or false`, { hint: `e.g. ${written}=false` });
  }
  if (value === undefined) throw new FapError("E_USAGE", `${written} needs a value`, { hint: `e.g. ${written}=VALUE` });
  if (spec.type === "number") {
    const number = Number(value);
    if (value.trim() === "" || !Number.isFinite(number)) {
      throw new FapError("E_USAGE", `${written}: '${value}' is not a number`, { hint: `${key}: ${spec.description}` });
    }
    return number;
  }
  if (spec.type === "list") return value === "" ? [] : value.split(",");
  if (spec.type === "map" || spec.type === "commands") {
    throw new FapError("E_USAGE", `${written}: '${key}' is a map and cannot be set from the command line`, {
      hint: "set it in the config file",
    });
  }
  return value;
}
