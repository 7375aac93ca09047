import path from "node:path";
import type { KeySpec, KeySpecs } from "@fap/core/internal";
import { userKeys } from "./user-keys.js";

/**
 * The "Config keys" part of `fap run deploy --help` (and release, rollback, restart, once):
 * every key core, the project's plugins and its config file define, as the `--key=value`
 * option that sets it. The config is loaded only if one is found here; nothing connects.
 */
export async function keyHelp(args: readonly string[], configShort: boolean, options: readonly string[]): Promise<string> {
  // A key whose flag is one of the command's options (--hosts, --parallel) is set by that option.
  const section = (title: string, groups: ReadonlyArray<{ owner: string | undefined; keys: KeySpecs }>) => keySection(title, groups, new Set(options));
  const { CORE_KEYS, isFapError } = await import("@fap/core/internal");
  const file = configFile(args, configShort);
  try {
    const { prepareRun, warnOnStderr } = await import("./session-options.js");
    const { options, configPath, connector } = await prepareRun({ set: [], config: file }, [], warnOnStderr, { secrets: "mask" });
    await connector.close();
    const owned = options.fap.keysByOwner.map(({ owner, keys }) => ({ owner: owner === "core" ? undefined : owner, keys }));
    const mine = userKeys(options.config, options.fap.keys);
    const described = Object.fromEntries(Object.entries(mine).map(([key, spec]) => [key, { ...spec, description: `set in ${path.basename(configPath)}` }]));
    return section(`Config keys of core, the plugins and ${path.basename(configPath)}`, [...owned, { owner: undefined, keys: described }]);
  } catch (error) {
    if (!isFapError(error) || error.code !== "E_CONFIG_NOT_FOUND" || file !== undefined) {
      const message = error instanceof Error ? error.message : String(error);
      return section(`Config keys of core (the project's could not be loaded: ${message})`, [{ owner: undefined, keys: CORE_KEYS }]);
    }
    return section("Config keys of core (no deploy config here; a project's plugins and config add theirs)", [{ owner: undefined, keys: CORE_KEYS }]);
  }
}

function keySection(title: string, groups: ReadonlyArray<{ owner: string | undefined; keys: KeySpecs }>, taken: ReadonlySet<string>): string {
  const rows = groups.flatMap(({ owner, keys }) =>
    Object.entries(keys)
      .filter(([key, spec]) => spec.type !== "map" && spec.type !== "commands" && !taken.has(`--${key.replace(/_/g, "-")}`))
      .map(([key, spec]) => [optionOf(key, spec), owner === undefined ? spec.description : `${spec.description} (${owner})`] as const),
  );
  const width = Math.max(...rows.map(([option]) => option.length));
  const lines = rows.map(([option, text]) => `  ${option.padEnd(width)}  ${text}`);
  return `\n${title}; set any with --key=value, --key value or --set key=value:\n${lines.join("\n")}\n`;
}

function optionOf(key: string, spec: KeySpec): string {
  const flag = `--${key.replace(/_/g, "-")}`;
  if (spec.type === "boolean") return `${flag}[=true|false]`;
  if (spec.type === "number") return `${flag}=N`;
  if (spec.type === "list") return `${flag}=A,B`;
  return `${flag}=VALUE`;
}

/** The -c/--config or -d/--deployfile value among a command's arguments. */
function configFile(args: readonly string[], configShort: boolean): string | undefined {
  const names = configShort ? ["-c", "--config", "-d", "--deployfile"] : ["--config", "-d", "--deployfile"];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (names.includes(arg)) return args[i + 1];
    const eq = arg.indexOf("=");
    if (eq > 0 && arg.startsWith("--") && names.includes(arg.slice(0, eq))) return arg.slice(eq + 1);
  }
  return undefined;
}
