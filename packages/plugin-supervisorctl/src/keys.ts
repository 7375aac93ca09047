import { aboveZero, defineKeys, key, keySpecsFactory, type ConfigValuesOf, type KeyOptions } from "@fap/core";
import { PLUGIN_NAME } from "./name.js";

/** Typed options for deploy.config.ts; each becomes the default of its key. */
export type SupervisorctlOptions = KeyOptions<typeof SUPERVISOR_KEYS>;
// deploy.config.ts learns the plugin's keys, at the top level, per stage and per role.
declare module "@fap/core" { interface ConfigValues extends ConfigValuesOf<typeof SUPERVISOR_KEYS> {} }

/**
 * Every key the plugin reads, declared once (defaults are Fapistrano's where it has them): specs,
 * options, deploy.config.ts types and the docs table come from here.
 */
export const SUPERVISOR_KEYS = defineKeys(
  {
    supervisor_program: key.string({ option: "program", default: "%(app_name)s", description: "program supervisorctl restarts (or group:* for a group)" }),
    supervisor_conf: key.string({ option: "conf", default: "configs/supervisor_%(stage)s_%(role)s.conf", description: "the program's supervisor conf, relative to the release (or absolute); empty: link nothing" }),
    supervisor_target: key.string({ option: "target", default: "/etc/supervisor/conf.d/%(supervisor_program)s.conf", typeDoc: "string (absolute)", description: "the symlink supervisord includes, pointed at the live release's conf" }),
    supervisor_restart: key.boolean({ option: "restart", default: true, description: "restart the program once the release is live" }),
    supervisor_refresh: key.boolean({ option: "refresh", default: false, description: "stop, reread, update and start the program instead of restarting it (picks up conf changes)" }),
    supervisor_check_status: key.boolean({ option: "checkStatus", default: false, description: "wait until supervisord reports RUNNING; fail the deploy on FATAL, BACKOFF or EXITED" }),
    supervisor_check_timeout: key.number({ option: "checkTimeout", default: 30, check: aboveZero, description: "how long (seconds) `supervisor_check_status` waits for RUNNING" }),
    supervisor_output: key.boolean({ option: "output", default: false, description: "show supervisorctl's answers (`app: stopped`, `app: started`)" }),
    supervisor_ctl: key.words({ option: "ctl", default: "supervisorctl", description: "the supervisorctl command, e.g. 'sudo -n supervisorctl'" }),
    supervisor_config: key.string({ option: "configFile", description: "supervisorctl -c: the supervisord.conf that says where supervisord listens" }),
    supervisor_server_url: key.string({ option: "serverUrl", description: "supervisorctl -s: supervisord's URL, e.g. unix:///var/run/supervisor.sock" }),
  },
  // The docs table's meaning, where it says more than the description.
  {
    supervisor_program: "the program supervisorctl restarts: the NAME of `[program:NAME]`, or `GROUP:*` for a group",
    supervisor_conf: "the program's supervisor conf: a path inside the release, or an absolute path on the host. Fapistrano's `configs/supervisor_%(role)s.conf` works. Empty: link nothing (the conf is managed some other way).",
    supervisor_refresh: "instead of a restart: `stop`, `reread`, `update` (the program's group), `start`, so a changed conf takes effect. Wins over `supervisor_restart`.",
    supervisor_check_status: "after the restart, poll `supervisorctl status` until every process of the program is RUNNING; fail at once on BACKOFF, FATAL, EXITED, STOPPED or an unknown program",
    supervisor_ctl: "the supervisorctl command, a string split on spaces or a list: `sudo -n supervisorctl`, `/opt/supervisor/bin/supervisorctl`",
    supervisor_config: "supervisorctl's `-c`: the supervisord.conf whose `[supervisorctl]` section says where supervisord listens",
    supervisor_server_url: "supervisorctl's `-s`: `unix:///var/run/supervisor.sock`, `http://127.0.0.1:9001`",
  },
);

/** The keys the plugin reads, with the factory's options as their defaults. */
export const supervisorctlKeys = keySpecsFactory(PLUGIN_NAME, SUPERVISOR_KEYS);
