import { FapError, readKeys } from "@fap/core";
import { SYSTEMD_KEYS, type ACTIONS } from "./keys.js";

export interface SystemdSettings {
  /** Full unit names (`api.service`). */
  units: string[];
  user: boolean;
  action: (typeof ACTIONS)[number];
  daemonReload: boolean;
  minUptime: number;
  timeout: number;
}

/** A unit name as systemctl takes it: letters, digits, `:-_.\@`, and a known suffix or none. */
const UNIT = /^[A-Za-z0-9:_.\\@-]+$/;
const SUFFIX = /\.(service|socket|target|timer|path|mount|scope|slice)$/;

/** The plugin's keys for one host, checked: a bad value stops the run before anything is created. */
export function readSettings(config: Readonly<Record<string, unknown>>): SystemdSettings {
  const keys = readKeys(config, SYSTEMD_KEYS);
  if (keys.systemd_unit.length === 0) throw new FapError("E_CONFIG", "systemd_unit is empty", { hint: "leave it unset for app_name, or name the unit(s) to restart" });
  const units = keys.systemd_unit.map((unit) => {
    if (!UNIT.test(unit) || unit.startsWith("-")) {
      throw new FapError("E_CONFIG", `systemd_unit: '${unit}' is not a unit name`, { hint: "a unit's name as systemctl shows it, e.g. api or api.service" });
    }
    return SUFFIX.test(unit) ? unit : `${unit}.service`;
  });
  return {
    units,
    user: keys.systemd_user,
    action: keys.systemd_action,
    daemonReload: keys.systemd_daemon_reload,
    minUptime: keys.systemd_min_uptime,
    timeout: keys.systemd_timeout,
  };
}
