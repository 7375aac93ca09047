import { dictionary, FapError, own, type FapConfig, type KeySpec, type KeySpecs } from "@fap/core/internal";
import { closest } from "./did-you-mean.js";
import { misplacedOption } from "./option-scope.js";
import { userKeys } from "./user-keys.js";

/**
 * Config values given on the command line: `--set key=value` and, as in Fapistrano,
 * `--some-key=value` for any key core or a plugin declares or the config file defines
 * (kebab-case of `some_key`). Strings become the key's declared type (or, for the config's
 * own keys, the type of the value written there), so `--keep-releases=3` is a number and a
 * commit `--branch=0123` stays text.
 */
export function cliValues(extraArgs: readonly string[], sets: readonly string[], declared: KeySpecs, config?: FapConfig): Record<string, unknown> {
  const keys = { ...(config ? userKeys(config, declared) : {}), ...declared };
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
    if (!spec) throw unknownKey(key, written, keys);
    values[key] = coerce(key, spec, value, written);
  }
  return values;
}

function unknownKey(key: string, written: string, keys: KeySpecs): FapError {
  const misplaced = misplacedOption(key);
  if (misplaced) return new FapError("E_USAGE", misplaced.message, { hint: misplaced.hint });
  const near = closest(key, Object.keys(keys));
  const dashed = written.startsWith("--set ") ? near : near?.replace(/_/g, "-");
  const suggestion = near === undefined ? "" : `did you mean ${written.startsWith("--set ") ? `--set ${dashed}` : `--${dashed}`}? `;
  return new FapError("E_USAGE", `unknown option ${written}: no key of core, of a plugin or of the config file is called '${key}'`, {
    hint: `${suggestion}fap run deploy --help lists every key, with the plugin declaring it (a plugin's keys exist only when it is in plugins)`,
  });
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
