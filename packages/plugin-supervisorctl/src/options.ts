import { FapError, type KeySpecs } from "@fap/core";
import { PLUGIN_NAME } from "./name.js";

/** Typed options for deploy.config.ts; each becomes the default of the matching seed key. */
export interface SupervisorctlOptions {
  /** `supervisor_program`: the program (or `group:*`) supervisorctl restarts. */
  program?: string;
  /** `supervisor_conf`: the program's conf in the release (relative) or on the host (absolute); empty: link nothing. */
  conf?: string;
  /** `supervisor_target`: the symlink supervisord includes, pointed at the release's conf. */
  target?: string;
  /** `supervisor_restart`: restart the program once the release is live. */
  restart?: boolean;
  /** `supervisor_refresh`: instead of a restart, stop, reread, update and start (picks up conf changes). */
  refresh?: boolean;
  /** `supervisor_check_status`: wait until supervisord reports RUNNING; fail on FATAL, BACKOFF, EXITED. */
  checkStatus?: boolean;
  /** `supervisor_check_timeout`: seconds check_status waits for RUNNING. */
  checkTimeout?: number;
  /** `supervisor_output`: show supervisorctl's output. */
  output?: boolean;
  /** `supervisor_ctl`: the supervisorctl command, e.g. `sudo -n supervisorctl`. */
  ctl?: string | string[];
  /** `supervisor_config`: supervisorctl's `-c`, the supervisord.conf that says where supervisord listens. */
  configFile?: string;
  /** `supervisor_server_url`: supervisorctl's `-s`, e.g. `unix:///run/app/supervisor.sock`. */
  serverUrl?: string;
}

declare module "@fap/core" {
  interface ConfigValues {
    supervisor_program?: string;
    supervisor_conf?: string;
    supervisor_target?: string;
    supervisor_restart?: boolean;
    supervisor_refresh?: boolean;
    supervisor_check_status?: boolean;
    supervisor_check_timeout?: number;
    supervisor_output?: boolean;
    supervisor_ctl?: string | string[];
    supervisor_config?: string;
    supervisor_server_url?: string;
  }
}

/** The keys the plugin reads, with the factory's options as their defaults (the seed's where it has them). */
export function supervisorctlKeys(options: SupervisorctlOptions = {}): KeySpecs {
  checkOptions(options);
  return {
    supervisor_program: {
      type: "string",
      default: options.program ?? "%(app_name)s",
      description: "program supervisorctl restarts (or group:* for a group)",
    },
    supervisor_conf: {
      type: "string",
      default: options.conf ?? "configs/supervisor_%(stage)s_%(role)s.conf",
      description: "the program's supervisor conf, relative to the release (or absolute); empty: link nothing",
    },
    supervisor_target: {
      type: "string",
      default: options.target ?? "/etc/supervisor/conf.d/%(supervisor_program)s.conf",
      description: "symlink that supervisord includes, pointed at the live release's supervisor_conf",
    },
    supervisor_restart: {
      type: "boolean",
      default: options.restart ?? true,
      description: "restart the program once the release is live",
    },
    supervisor_refresh: {
      type: "boolean",
      default: options.refresh ?? false,
      description: "stop, reread, update and start the program instead of restarting it (picks up conf changes)",
    },
    supervisor_check_status: {
      type: "boolean",
      default: options.checkStatus ?? false,
      description: "wait until supervisord reports RUNNING; fail the deploy on FATAL, BACKOFF or EXITED",
    },
    supervisor_check_timeout: {
      type: "number",
      default: options.checkTimeout ?? 30,
      description: "seconds supervisor_check_status waits for RUNNING",
    },
    supervisor_output: {
      type: "boolean",
      default: options.output ?? false,
      description: "show supervisorctl's output",
    },
    supervisor_ctl: {
      type: "list",
      default: options.ctl ?? "supervisorctl",
      description: "the supervisorctl command, e.g. 'sudo -n supervisorctl'",
    },
    supervisor_config: {
      type: "string",
      default: options.configFile,
      description: "supervisorctl -c: the supervisord.conf that says where supervisord listens",
    },
    supervisor_server_url: {
      type: "string",
      default: options.serverUrl,
      description: "supervisorctl -s: supervisord's URL, e.g. unix:///var/run/supervisor.sock",
    },
  };
}

const STRING_OPTIONS = ["program", "conf", "target", "configFile", "serverUrl"] as const;
const BOOLEAN_OPTIONS = ["restart", "refresh", "checkStatus", "output"] as const;

function checkOptions(options: SupervisorctlOptions): void {
  const bad = (message: string) =>
    new FapError("E_CONFIG", `[${PLUGIN_NAME}] options: ${message}`, {
      hint: "e.g. supervisorctl({ program: 'web', checkStatus: true })",
    });
  if (typeof options !== "object" || options === null) throw bad("expected an object of options");
  for (const name of STRING_OPTIONS) {
    const value = options[name];
    if (value !== undefined && typeof value !== "string") throw bad(`${name} must be a string, got ${typeof value}`);
  }
  for (const name of BOOLEAN_OPTIONS) {
    const value = options[name];
    if (value !== undefined && typeof value !== "boolean") throw bad(`${name} must be true or false, got ${typeof value}`);
  }
  const ctl: unknown = options.ctl;
  if (ctl !== undefined && typeof ctl !== "string" && !(Array.isArray(ctl) && ctl.every((word) => typeof word === "string"))) {
    throw bad("ctl must be a string or a list of strings");
  }
  const timeout = options.checkTimeout;
  if (timeout !== undefined && !(typeof timeout === "number" && timeout > 0 && Number.isFinite(timeout))) {
    throw bad(`checkTimeout must be a number of seconds above 0, got ${String(timeout)}`);
  }
}
