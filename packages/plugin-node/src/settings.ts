import { FapError, readKeys } from "@fap/core";
import { isRelativeInside } from "@fap/core/internal";
import { NODE_KEYS, type BuildMode, type PackageManagerChoice } from "./keys.js";

export interface NodeSettings {
  build: BuildMode;
  buildCommand: string;
  /** Whether node_build_command is the default `npm run build` (skipped without a build script). */
  defaultBuildCommand: boolean;
  /** Relative to the project (local) and the release. */
  buildOutput: string;
  projectDir: string;
  packageManager: PackageManagerChoice;
  cacheDir: string;
  install: boolean;
  checkEngines: boolean;
}

export const DEFAULT_BUILD_COMMAND = "npm run build";

/** The plugin's keys (for one host, or the top level for the local build), checked. */
/** `forBuild`: the local build reads the top level, where %(shared_path)s is not resolved yet. */
export function readSettings(config: Readonly<Record<string, unknown>>, { forBuild = false } = {}): NodeSettings {
  const keys = readKeys(config, NODE_KEYS);
  const buildCommand = keys.node_build_command ?? DEFAULT_BUILD_COMMAND;
  const buildOutput = (keys.node_build_output ?? "dist").replace(/^(\.\/)+/, "").replace(/\/+$/, "");
  if (!isRelativeInside(buildOutput)) {
    throw new FapError("E_CONFIG", `node_build_output '${keys.node_build_output}' must be a folder inside the project`, { hint: "e.g. node_build_output: dist" });
  }
  const cacheDir = keys.node_cache_dir;
  if (!forBuild && (cacheDir === undefined || !cacheDir.startsWith("/"))) {
    throw new FapError("E_CONFIG", `node_cache_dir '${cacheDir ?? ""}' must be an absolute path`, { hint: "leave it unset for shared/node-cache" });
  }
  return {
    build: keys.node_build,
    buildCommand,
    defaultBuildCommand: buildCommand === DEFAULT_BUILD_COMMAND,
    buildOutput,
    projectDir: keys.node_project_dir ?? ".",
    packageManager: keys.node_package_manager,
    cacheDir: cacheDir ?? "",
    install: keys.node_install,
    checkEngines: keys.node_check_engines,
  };
}
