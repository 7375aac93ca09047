import { FapError, type KeySpecs } from "@fap/core";
import { PLUGIN_NAME } from "./name.js";

/** Typed options for deploy.config.ts; each becomes the default of the matching key. */
export interface WebpackBuildOptions {
  /** `webpack_project_dir`: the project whose webpack runs; relative to the directory fap runs in. */
  projectDir?: string;
  /** `webpack_config`: webpack's config file, relative to the project. */
  config?: string;
  /** `webpack_mode`: passed to webpack like `webpack --mode`, over the config's own. */
  mode?: WebpackMode;
  /** `webpack_output`: the directory to ship, relative to the project; default: the config's output.path. */
  output?: string;
  /** `webpack_target`: where the bundle goes in each release; default: the output's path in the project. */
  target?: string;
}

export type WebpackMode = "production" | "development" | "none";

export const MODES: readonly WebpackMode[] = ["production", "development", "none"];

declare module "@fap/core" {
  interface ConfigValues {
    webpack_project_dir?: string;
    webpack_config?: string;
    webpack_mode?: WebpackMode;
    webpack_output?: string;
    webpack_target?: string;
  }
}

/** The keys the plugin reads, with the factory's options as their defaults. */
export function webpackBuildKeys(options: WebpackBuildOptions = {}): KeySpecs {
  checkOptions(options);
  return {
    webpack_project_dir: {
      type: "string",
      default: options.projectDir,
      description: "directory of the project to build (default: where fap runs); its own webpack is used",
    },
    webpack_config: { type: "string", default: options.config ?? "webpack.config.js", description: "webpack config file, relative to the project" },
    webpack_mode: { type: "string", default: options.mode ?? "production", description: "webpack mode: production, development or none" },
    webpack_output: {
      type: "string",
      default: options.output,
      description: "directory to ship, relative to the project (default: the config's output.path)",
    },
    webpack_target: {
      type: "string",
      default: options.target,
      description: "where the bundle goes in each release (default: the output's path in the project, e.g. dist)",
    },
  };
}

const STRING_OPTIONS = ["projectDir", "config", "output", "target"] as const;

function checkOptions(options: WebpackBuildOptions): void {
  const bad = (message: string) =>
    new FapError("E_CONFIG", `[${PLUGIN_NAME}] options: ${message}`, { hint: "e.g. webpackBuild({ config: 'webpack.config.js', target: 'public/assets' })" });
  if (typeof options !== "object" || options === null) throw bad("expected an object of options");
  for (const name of STRING_OPTIONS) {
    const value = options[name];
    if (value !== undefined && typeof value !== "string") throw bad(`${name} must be a string, got ${typeof value}`);
  }
  if (options.mode !== undefined && !MODES.includes(options.mode)) {
    throw bad(`mode must be one of ${MODES.join(", ")}, got ${JSON.stringify(options.mode)}`);
  }
}
