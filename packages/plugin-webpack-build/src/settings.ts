import path from "node:path";
import { FapError, readKeys } from "@fap/core";
import { isRelativeInside } from "@fap/core/internal";
import { WEBPACK_KEYS, type WebpackMode } from "./keys.js";

/** What the build stage needs: read once per run, from the plugin's options and the config's top level. */
export interface BuildSettings {
  /** Absolute. */
  projectDir: string;
  /** Absolute path of the webpack config file. */
  configFile: string;
  mode: WebpackMode;
  /** Absolute directory to ship; undefined: the config's output.path. */
  output: string | undefined;
}

/** The keys the build reads, in the order they are compared with each host's. */
export const BUILD_KEYS = ["webpack_project_dir", "webpack_config", "webpack_mode", "webpack_output"] as const;

/** Reads and checks the build keys; relative paths are taken from `cwd` (the project from there). */
export function readBuildSettings(values: Readonly<Record<string, unknown>>, cwd: string): BuildSettings {
  const keys = readKeys(values, WEBPACK_KEYS);
  const projectDir = path.resolve(cwd, keys.webpack_project_dir ?? ".");
  const configFile = path.resolve(projectDir, keys.webpack_config ?? "webpack.config.js");
  const output = keys.webpack_output;
  return { projectDir, configFile, mode: keys.webpack_mode, output: output === undefined ? undefined : path.resolve(projectDir, output) };
}

/**
 * Where the bundle goes in a host's release: webpack_target, else where the output is in the
 * project. Relative, without '..'; "." is the release itself.
 */
export function readTarget(values: Readonly<Record<string, unknown>>, defaultTarget: string | undefined): string {
  const raw = readKeys(values, WEBPACK_KEYS).webpack_target ?? defaultTarget;
  if (raw === undefined) {
    throw new FapError("E_CONFIG", "webpack_target is not set, and the output is not inside the project", {
      hint: "set webpack_target: to the folder of the release that receives the bundle, e.g. public/assets",
    });
  }
  const clean = raw.replace(/^(\.\/)+/, "").replace(/\/+$/, "") || ".";
  if (clean !== "." && !isRelativeInside(clean)) {
    throw new FapError("E_CONFIG", `webpack_target '${raw}' must be a folder inside the release`, { hint: "e.g. webpack_target: public/assets ('.' is the release itself)" });
  }
  return clean;
}

/** The output's place in the project (dist, public/assets), or undefined when it is outside the project. */
export function defaultTarget(projectDir: string, outputDir: string): string | undefined {
  const relative = path.relative(projectDir, outputDir).split(path.sep).join("/");
  if (relative === "") return ".";
  if (relative.startsWith("../") || relative === ".." || path.isAbsolute(relative)) return undefined;
  return relative;
}
