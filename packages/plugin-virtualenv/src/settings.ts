import { posix } from "node:path";
import { asText, FapError } from "@fap/core";
import { words } from "./_words.js";

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
  const requirements = inRelease(asText(config.virtualenv_requirements), releasePath, "virtualenv_requirements");
  const venvPath = inRelease(asText(config.virtualenv_venv_path), releasePath, "virtualenv_venv_path");
  if (venvPath === "/" || isInside(releasePath, venvPath) || venvPath === releasePath) {
    throw new FapError("E_CONFIG", `virtualenv_venv_path '${venvPath}' would replace the release itself`, {
      hint: "give the venv its own directory, e.g. %(release_path)s/venv",
    });
  }
  const executive = words(config.virtualenv_executive, "virtualenv_executive");
  return {
    requirements,
    venvPath,
    executive: executive.length === 0 ? undefined : executive,
    pipUpgrade: config.virtualenv_pip_upgrade === true,
    pipOptions: words(config.virtualenv_pip_options, "virtualenv_pip_options"),
    pipConfigFile: asText(config.virtualenv_pip_config_file),
    pipIndexUrl: asText(config.virtualenv_pip_index_url),
    reuse: config.virtualenv_reuse === true,
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
