import fs from "node:fs";
import path from "node:path";
import { escapeRegExp, FapError, type FapConfig } from "@fap/core/internal";
import type { Warn } from "./yaml-loader.js";

export const SEARCH_PLACES = [
  "deploy.config.ts",
  "deploy.config.mts",
  "deploy.config.js",
  "deploy.config.mjs",
  "deploy.config.cjs",
  "deploy.yml",
  "deploy.yaml",
  ".faprc",
  ".faprc.json",
  ".faprc.yaml",
  ".faprc.yml",
  ".faprc.js",
  ".faprc.mjs",
  ".faprc.cjs",
  ".faprc.ts",
  "package.json",
];

export interface LoadedConfig {
  config: FapConfig;
  filepath: string;
  /** Directory plugins are resolved from. */
  dir: string;
}

export interface LoadConfigOptions {
  cwd: string;
  /** -c/--config or Fapistrano's -d/--deployfile. */
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
  warn?: Warn;
}

/**
 * Finds and loads the config: an explicit file, else Fapistrano's FAP_APP + <FAP_APP>_DEPLOYFILE,
 * else cosmiconfig's search of the working directory. TypeScript configs load through jiti,
 * so deploy.config.ts needs nothing installed beyond @fap/cli.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const explicit = options.file ?? fapistranoDeployfile(env);
  const { cosmiconfig } = await import("cosmiconfig");
  const shown = (filepath: string) => displayPath(options.cwd, filepath);
  // Each loader's parser is imported only for its kind of file: a deploy.config.ts run loads no YAML parser.
  const yamlLoader = async (filepath: string, content: string) => (await import("./yaml-loader.js")).loadYaml(shown(filepath), content, options.warn);
  const tsLoader = (filepath: string) => loadTypeScript(filepath, shown(filepath));
  let result;
  try {
    // Inside the try: cosmiconfig reads package.json (for its own settings) as it is created.
    const explorer = cosmiconfig("fap", {
      searchPlaces: SEARCH_PLACES,
      loaders: { ".ts": tsLoader, ".mts": tsLoader, ".yml": yamlLoader, ".yaml": yamlLoader, noExt: yamlLoader },
      searchStrategy: "none",
      // An empty deploy.yml is a mistake to report, not a reason to look for another file.
      ignoreEmptySearchPlaces: false,
    });
    if (explicit !== undefined) {
      const filepath = path.resolve(options.cwd, explicit);
      if (!fs.existsSync(filepath)) {
        throw new FapError("E_CONFIG_NOT_FOUND", `config file ${explicit} does not exist`, { hint: "check the path given to -c/--config" });
      }
      result = await explorer.load(filepath);
    } else {
      result = await explorer.search(options.cwd);
    }
  } catch (error) {
    if (error instanceof FapError) throw error;
    const filepath = (error as { filepath?: unknown } | null)?.filepath;
    throw loadError(typeof filepath === "string" ? filepath : undefined, options.cwd, error);
  }
  if (!result) {
    throw new FapError("E_CONFIG_NOT_FOUND", `no deploy config found in ${options.cwd}`, {
      hint: "create deploy.config.ts or deploy.yml here, or pass -c FILE",
    });
  }
  if (result.isEmpty) {
    const blank = fs.readFileSync(result.filepath, "utf8").trim() === "";
    throw new FapError("E_CONFIG", `${shown(result.filepath)} ${blank ? "is empty" : "exports nothing"}`, {
      hint: "write app_name and stage_role_configs in it, or export default defineConfig({...})",
    });
  }
  return { config: checkShape(result.config, result.filepath), filepath: result.filepath, dir: path.dirname(result.filepath) };
}

/** Fapistrano's variables: FAP_APP=myapp and MYAPP_DEPLOYFILE=/path/to/deploy.yml. */
function fapistranoDeployfile(env: NodeJS.ProcessEnv): string | undefined {
  const app = env.FAP_APP;
  if (!app) return undefined;
  return env[`${app.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_DEPLOYFILE`];
}

async function loadTypeScript(filepath: string, shown: string): Promise<unknown> {
  // jiti is CommonJS: the bundle turns this import into require() (see scripts/bundle.mjs).
  const { createJiti } = await import("jiti");
  const jiti = createJiti(import.meta.url, { moduleCache: false });
  const module = await jiti.import<Record<string, unknown> | null>(filepath);
  if (module !== null && typeof module === "object" && "default" in module) return module.default;
  throw new FapError("E_CONFIG", `${shown} has no default export`, { hint: "write export default defineConfig({ app_name, stage_role_configs })" });
}

/** The config file as the user would type it: relative to where fap runs, when it is below it. */
function displayPath(cwd: string, filepath: string): string {
  const relative = path.relative(cwd, filepath);
  return relative === "" || relative.startsWith("..") || path.isAbsolute(relative) ? filepath : relative;
}

/**
 * A loader's error as one line naming the file (and the line, when the error says it): parsers
 * and jiti write code frames and the path over several lines.
 */
export function loadError(filepath: string | undefined, cwd: string, error: unknown): FapError {
  // Parsers colour their code frames when they think they write to a terminal (or CI=true).
  const text = (error instanceof Error ? error.message : String(error)).replace(/\x1b\[[0-9;]*m/g, "");
  const shown = filepath === undefined ? undefined : displayPath(cwd, filepath);
  const at = filepath === undefined ? undefined : new RegExp(`${escapeRegExp(filepath)}:(\\d+)`).exec(text)?.[1];
  const message =
    text
      .split("\n")
      .map((line) => (filepath === undefined ? line : line.split(filepath).join("")).replace(/^JSON Error in\s*:?\s*/, "").trim())
      .filter((line) => line !== "" && !/^(>?\s*\d*\s*\||:\d+(:\d+)?$)/.test(line))[0]
      ?.replace(/ while parsing .*$/, "") ?? "cannot be loaded";
  const where = shown === undefined ? "the config" : at === undefined ? shown : `${shown}:${at}`;
  return new FapError("E_CONFIG", `${where}: ${message}`, {
    hint: `fix ${shown ?? "the config file"}; run with --debug for the full error`,
    cause: error,
  });
}

function checkShape(config: unknown, filepath: string): FapConfig {
  const value = (config as { default?: unknown } | null)?.default ?? config;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new FapError("E_CONFIG", `${path.basename(filepath)} must define a map of settings`, {
      hint: "export default defineConfig({ app_name, stage_role_configs }) or write YAML keys",
    });
  }
  const stages = (value as FapConfig).stage_role_configs;
  if (typeof stages !== "object" || stages === null || Array.isArray(stages)) {
    throw new FapError("E_CONFIG", `${path.basename(filepath)}: stage_role_configs is missing or not a map`, {
      hint: "add stage_role_configs: { production: { web: { hosts: [...] } } }",
    });
  }
  checkPluginEntries((value as FapConfig).plugins, path.basename(filepath));
  return value as FapConfig;
}

/** `plugins` is a list (lists may nest) of names, plugin objects, or falsy entries to skip. */
function checkPluginEntries(plugins: unknown, file: string): void {
  if (plugins === undefined || plugins === null) return;
  const hint = "write plugins: [fapistrano.git, ...] in YAML, or plugins: [git(), ...] in deploy.config.ts";
  if (!Array.isArray(plugins)) {
    throw new FapError("E_CONFIG", `${file}: 'plugins' must be a list, got ${typeof plugins} ${JSON.stringify(plugins)}`, { hint });
  }
  const visit = (entry: unknown, where: string): void => {
    if (Array.isArray(entry)) entry.forEach((item, i) => visit(item, `${where}[${i}]`));
    else if (entry && typeof entry !== "string" && typeof entry !== "object") {
      throw new FapError("E_CONFIG", `${file}: ${where} must be a plugin name or a plugin, got ${typeof entry} ${JSON.stringify(entry)}`, { hint });
    }
  };
  plugins.forEach((entry, i) => visit(entry, `plugins[${i}]`));
}
