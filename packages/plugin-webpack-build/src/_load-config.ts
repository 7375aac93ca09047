import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { FapError } from "@fap/core";
import type { BuildSettings } from "./settings.js";

/**
 * Loads the webpack config file as webpack-cli does for `webpack --mode MODE`: its default
 * export, or module.exports; a function is called with (env, argv); promises are awaited;
 * an array is a multi-compiler config. `mode` overrides the config's own. A config without
 * `context` or `output.path` gets the project's directory and its dist/, as if webpack ran there.
 */
export async function loadWebpackConfig(settings: BuildSettings): Promise<object[]> {
  const { configFile, projectDir, mode } = settings;
  const shown = path.relative(process.cwd(), configFile) || configFile;
  if (!existsSync(configFile)) {
    throw new FapError("E_CONFIG", `webpack_config '${shown}' does not exist`, {
      hint: "set webpack_config: to the project's webpack config file (relative to webpack_project_dir)",
    });
  }
  if (/\.[cm]?ts$/.test(configFile)) {
    throw new FapError("E_CONFIG", `webpack_config '${shown}' is TypeScript, which fap does not load`, {
      hint: "write the config as webpack.config.js, .mjs or .cjs",
    });
  }
  let exported: unknown;
  try {
    const module = (await import(pathToFileURL(configFile).href)) as { default?: unknown };
    exported = module.default ?? module;
  } catch (error) {
    throw new FapError("E_CONFIG", `cannot load webpack_config '${shown}': ${firstLine(error)}`, { cause: error });
  }

  const env = { WEBPACK_BUNDLE: true, WEBPACK_BUILD: true };
  const argv = { mode, env };
  const evaluate = async (value: unknown): Promise<unknown> => (typeof value === "function" ? await value(env, argv) : await value);
  let configs: unknown;
  try {
    const top = await evaluate(exported);
    configs = Array.isArray(top) ? await Promise.all(top.map(evaluate)) : [top];
  } catch (error) {
    throw new FapError("E_CONFIG", `webpack_config '${shown}' threw: ${firstLine(error)}`, { cause: error });
  }
  const list = configs as unknown[];
  if (list.length === 0 || !list.every((c) => typeof c === "object" && c !== null && !Array.isArray(c))) {
    throw new FapError("E_CONFIG", `webpack_config '${shown}' exports no webpack config`, {
      hint: "export an object, an array of objects, or a function returning one",
    });
  }
  return (list as Array<Record<string, unknown>>).map((config) => {
    const output = (config.output ?? {}) as Record<string, unknown>;
    return {
      ...config,
      mode,
      context: config.context ?? projectDir,
      output: { ...output, path: output.path ?? path.join(projectDir, "dist") },
    };
  });
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n").find((line) => line.trim() !== "")?.trim() ?? "unknown error";
}
