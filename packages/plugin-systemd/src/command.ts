import { sh } from "@fap/core";
import { SCRIPT } from "./_script.js";
import type { SystemdSettings } from "./settings.js";

export type UnitAction = SystemdSettings["action"] | "status";

/** One round trip per host: the action on every unit, then the wait (see SCRIPT); `status` only looks. */
export function unitCommand(settings: SystemdSettings, action: UnitAction): string {
  const scope = settings.user ? "user" : "system";
  const daemonReload = settings.daemonReload && action !== "status" ? "yes" : "no";
  return sh`sh -c ${SCRIPT} sh ${scope} ${action} ${daemonReload} ${settings.minUptime} ${settings.timeout} ${settings.units}`;
}

/**
 * `systemctl stop` of every unit, then `reset-failed`: after a failed first deploy nothing is
 * live to run. A unit that crashed until systemd gave up on it (its start limit) would stay
 * `failed` with the stop alone, and refuse the next deploy's start ("start request repeated too
 * quickly"); fap has reported its crash, with its journal.
 */
export function stopCommand(settings: SystemdSettings): string {
  const systemctl = settings.user ? 'XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/run/user/$(id -u)} systemctl --user' : "systemctl";
  return `${systemctl} ${sh`stop -- ${settings.units}`} >/dev/null 2>&1; ${systemctl} ${sh`reset-failed -- ${settings.units}`} >/dev/null 2>&1 || true`;
}

