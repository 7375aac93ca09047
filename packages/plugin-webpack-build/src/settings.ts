import path from "node:path";
import { asText, FapError } from "@fap/core";
import { MODES, type WebpackMode } from "./options.js";

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
  for (const key of BUILD_KEYS) {
    const value = values[key];
    if (value !== undefined && value !== null && typeof value !== "string") {
      throw new FapError("E_CONFIG", `${key} must be a string, got ${JSON.stringify(value)}`, { hint: `e.g. ${key}: ${example(key)}` });
    }
  }
  const projectDir = path.resolve(cwd, asText(values.webpack_project_dir) ?? ".");
  const configFile = path.resolve(projectDir, asText(values.webpack_config) ?? "webpack.config.js");
  const mode = asText(values.webpack_mode) ?? "production";
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new FapError("E_CONFIG", `webpack_mode must be one of ${MODES.join(", ")}, got '${mode}'`, { hint: "e.g. webpack_mode: production" });
  }
  const output = asText(values.webpack_output);
  return { projectDir, configFile, mode: mode as WebpackMode, output: output === undefined ? undefined : path.resolve(projectDir, output) };
}

/**
 * Where the bundle goes in a host's release: webpack_target, else where the output is in the
 * project. Relative, without '..'; "." is the release itself.
 */
export function readTarget(values: Readonly<Record<string, unknown>>, defaultTarget: string | undefined): string {
  const raw = asText(values.webpack_target) ?? defaultTarget;
  if (raw === undefined) {
    throw new FapError("E_CONFIG", "webpack_target is not set, and the output is not inside the project", {
      hint: "set webpack_target: to the folder of the release that receives the bundle, e.g. public/assets",
    });
  }
  const clean = raw.replace(/^(\.\/)+/, "").replace(/\/+$/, "") || ".";
  if (clean !== "." && (clean.startsWith("/") || clean.split("/").some((part) => part === "" || part === "." || part === ".."))) {
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

function example(key: (typeof BUILD_KEYS)[number]): string {
  return { webpack_project_dir: "frontend", webpack_config: "webpack.prod.js", webpack_mode: "production", webpack_output: "dist" }[key];
}
