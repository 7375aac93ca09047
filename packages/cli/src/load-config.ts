import fs from "node:fs";
import path from "node:path";
import { FapError, type FapConfig } from "@fap/core";
import { loadYaml, type Warn } from "./yaml-loader.js";

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
  /** -c/--config or the seed's -d/--deployfile. */
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
  warn?: Warn;
}

/**
 * Finds and loads the config: an explicit file, else the seed's FAP_APP + <FAP_APP>_DEPLOYFILE,
 * else cosmiconfig's search of the working directory. TypeScript configs load through jiti,
 * so deploy.config.ts needs nothing installed beyond @fap/cli.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const explicit = options.file ?? seedDeployfile(env);
  const { cosmiconfig } = await import("cosmiconfig");
  const yamlLoader = (filepath: string, content: string) => loadYaml(filepath, content, options.warn);
  const explorer = cosmiconfig("fap", {
    searchPlaces: SEARCH_PLACES,
    loaders: { ".ts": loadTypeScript, ".mts": loadTypeScript, ".yml": yamlLoader, ".yaml": yamlLoader, noExt: yamlLoader },
    searchStrategy: "none",
  });
  let result;
  try {
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
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new FapError("E_CONFIG", `cannot load the config: ${message}`, { hint: "fix the error in the config file", cause: error });
  }
  if (!result || result.isEmpty) {
    throw new FapError("E_CONFIG_NOT_FOUND", `no deploy config found in ${options.cwd}`, {
      hint: "create deploy.config.ts or deploy.yml here, or pass -c FILE",
    });
  }
  return { config: checkShape(result.config, result.filepath), filepath: result.filepath, dir: path.dirname(result.filepath) };
}

/** The seed's variables: FAP_APP=myapp and MYAPP_DEPLOYFILE=/path/to/deploy.yml. */
function seedDeployfile(env: NodeJS.ProcessEnv): string | undefined {
  const app = env.FAP_APP;
  if (!app) return undefined;
  return env[`${app.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_DEPLOYFILE`];
}

async function loadTypeScript(filepath: string): Promise<unknown> {
  const { createJiti } = await import("jiti");
  const jiti = createJiti(import.meta.url, { moduleCache: false });
  return jiti.import(filepath, { default: true });
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
  return value as FapConfig;
}
