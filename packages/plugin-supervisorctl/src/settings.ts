import { posix } from "node:path";
import { FapError, readKeys, requireKey } from "@fap/core";
import { isRelativeInside } from "@fap/core/internal";
import { SUPERVISOR_KEYS } from "./keys.js";

/** The plugin's keys for one host, checked. */
export interface SupervisorSettings {
  program: string;
  /** The program's group: what `supervisorctl update` takes (`web` for `web:*`). */
  group: string;
  /** As written: relative to the release, or absolute. Undefined: link nothing. */
  conf: string | undefined;
  target: string;
  restart: boolean;
  refresh: boolean;
  checkStatus: boolean;
  checkTimeout: number;
  output: boolean;
  /** supervisorctl and its -c / -s options, as words. */
  ctl: string[];
}

/** Reads and checks the keys from a host's resolved config; throws E_CONFIG naming the key. */
export function readSettings(config: Readonly<Record<string, unknown>>): SupervisorSettings {
  const keys = readKeys(config, SUPERVISOR_KEYS);
  const program = requireKey(keys, "supervisor_program", "set supervisor_program to the [program:NAME] of your supervisor conf (it defaults to app_name)", "is empty");
  if (/\s/.test(program) || program.startsWith("-")) {
    throw new FapError("E_CONFIG", `supervisor_program '${program}' is not a supervisor program name`, {
      hint: "write the NAME of [program:NAME], or GROUP:* for a group",
    });
  }

  const conf = keys.supervisor_conf;
  if (conf !== undefined && !conf.startsWith("/") && !isRelativeInside(conf)) {
    throw new FapError("E_CONFIG", `supervisor_conf '${conf}' must be a path inside the release, or absolute`, {
      hint: "e.g. supervisor_conf: configs/supervisor_%(stage)s_%(role)s.conf",
    });
  }
  const target = keys.supervisor_target;
  if (conf !== undefined && (target === undefined || !target.startsWith("/") || target.endsWith("/"))) {
    throw new FapError("E_CONFIG", `supervisor_target '${target ?? ""}' must be the absolute path of a file`, {
      hint: "e.g. supervisor_target: /etc/supervisor/conf.d/%(supervisor_program)s.conf",
    });
  }

  const command = keys.supervisor_ctl;
  if (command.length === 0) throw new FapError("E_CONFIG", "supervisor_ctl is empty", { hint: "leave it unset for supervisorctl" });
  const configFile = keys.supervisor_config;
  const serverUrl = keys.supervisor_server_url;
  const ctl = [...command, ...(configFile === undefined ? [] : ["-c", configFile]), ...(serverUrl === undefined ? [] : ["-s", serverUrl])];

  return {
    program,
    group: program.split(":")[0] || program,
    conf,
    target: target ?? "",
    restart: keys.supervisor_restart,
    refresh: keys.supervisor_refresh,
    checkStatus: keys.supervisor_check_status,
    checkTimeout: keys.supervisor_check_timeout,
    output: keys.supervisor_output,
    ctl,
  };
}

/** Where the conf of the release at `releasePath` is: an absolute supervisor_conf is taken as it is. */
export function confSource(conf: string, releasePath: string): string {
  return conf.startsWith("/") ? conf : posix.join(releasePath, conf);
}
