import { posix } from "node:path";
import { FapError, readKeys } from "@fap/core";
import { VIRTUALENV_KEYS } from "./keys.js";

/** The plugin's keys for one host and release, checked; paths are absolute. */
export interface VirtualenvSettings {
  requirements: string;
  venvPath: string;
  /** Undefined: `virtualenv` if the host has it, else `python3 -m venv`. */
  executive: string[] | undefined;
  pipUpgrade: boolean;
  pipOptions: string[];
  pipConfigFile: string | undefined;
  pipIndexUrl: string | undefined;
  reuse: boolean;
}

/**
 * Reads and checks the keys from a host's resolved config; relative paths are taken inside
 * `releasePath`. Throws E_CONFIG naming the key.
 */
export function readSettings(config: Readonly<Record<string, unknown>>, releasePath: string): VirtualenvSettings {
  const keys = readKeys(config, VIRTUALENV_KEYS);
  const requirements = inRelease(keys.virtualenv_requirements, releasePath, "virtualenv_requirements");
  const venvPath = inRelease(keys.virtualenv_venv_path, releasePath, "virtualenv_venv_path");
  if (venvPath === "/" || isInside(releasePath, venvPath) || venvPath === releasePath) {
    throw new FapError("E_CONFIG", `virtualenv_venv_path '${venvPath}' would replace the release itself`, {
      hint: "give the venv its own directory, e.g. %(release_path)s/venv",
    });
  }
  return {
    requirements,
    venvPath,
    executive: keys.virtualenv_executive.length === 0 ? undefined : keys.virtualenv_executive,
    pipUpgrade: keys.virtualenv_pip_upgrade,
    pipOptions: keys.virtualenv_pip_options,
    pipConfigFile: keys.virtualenv_pip_config_file,
    pipIndexUrl: keys.virtualenv_pip_index_url,
    reuse: keys.virtualenv_reuse,
  };
}

/** Whether `path` is strictly inside `dir` (both absolute and normalized). */
export function isInside(path: string, dir: string): boolean {
  return path.startsWith(dir === "/" ? "/" : `${dir}/`) && path !== dir;
}

function inRelease(value: string | undefined, releasePath: string, key: string): string {
  if (value === undefined) {
    throw new FapError("E_CONFIG", `${key} is empty`, { hint: `leave it unset for its default, or give a path on the hosts` });
  }
  const full = posix.normalize(value.startsWith("/") ? value : posix.join(releasePath, value));
  return full.length > 1 ? full.replace(/\/+$/, "") : full;
}
