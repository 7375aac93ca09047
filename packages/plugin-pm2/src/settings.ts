import { FapError, readKeys, requireKey } from "@fap/core";
import { isRelativeInside } from "@fap/core/internal";
import { PM2_KEYS, type EXEC_MODES } from "./keys.js";

export interface Pm2Settings {
  name: string;
  /** Relative to the release; undefined with an ecosystem file. */
  script: string | undefined;
  /** Relative to the release. */
  ecosystem: string | undefined;
  instances: number;
  execMode: (typeof EXEC_MODES)[number];
  env: Record<string, string>;
  minUptime: number;
  timeout: number;
  bin: string[];
  home: string | undefined;
}

/** The plugin's keys for one host, checked: a bad value stops the run before anything is created. */
export function readSettings(config: Readonly<Record<string, unknown>>): Pm2Settings {
  const keys = readKeys(config, PM2_KEYS);
  const name = requireKey(keys, "pm2_name", "leave it unset for app_name, or name the pm2 app", "is empty");
  const ecosystem = inRelease("pm2_ecosystem", keys.pm2_ecosystem);
  const script = inRelease("pm2_script", keys.pm2_script);
  if (ecosystem === undefined && script === undefined) {
    throw new FapError("E_CONFIG", "neither pm2_script nor pm2_ecosystem is set", {
      hint: "set pm2_script to the app's entry in the release (e.g. dist/server.js), or pm2_ecosystem to its ecosystem file",
    });
  }
  if (keys.pm2_bin.length === 0) throw new FapError("E_CONFIG", "pm2_bin is empty", { hint: "leave it unset for pm2" });
  const home = keys.pm2_home;
  if (home !== undefined && !home.startsWith("/")) {
    throw new FapError("E_CONFIG", `pm2_home '${home}' must be an absolute path`, { hint: "e.g. pm2_home: /home/deploy/.pm2" });
  }
  const env: Record<string, string> = {};
  for (const [variable, value] of Object.entries(keys.pm2_env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) {
      throw new FapError("E_CONFIG", `pm2_env: '${variable}' is not a variable name`, { hint: "use letters, digits and _, not starting with a digit" });
    }
    env[variable] = value === null || value === undefined ? "" : String(value);
  }
  return {
    name,
    script,
    ecosystem,
    instances: keys.pm2_instances,
    execMode: keys.pm2_exec_mode,
    env,
    minUptime: keys.pm2_min_uptime,
    timeout: keys.pm2_timeout,
    bin: keys.pm2_bin,
    home,
  };
}

/** A path inside the release: relative, without `..`. */
function inRelease(key: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const clean = value.replace(/^(\.\/)+/, "");
  if (!isRelativeInside(clean)) {
    throw new FapError("E_CONFIG", `${key} '${value}' must be a file inside the release`, { hint: `a path relative to the release, e.g. ${key}: ${key === "pm2_script" ? "dist/server.js" : "ecosystem.config.cjs"}` });
  }
  return clean;
}
