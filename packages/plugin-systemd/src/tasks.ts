import { task, type HostContext, type Task } from "@fap/core";
import { runUnits } from "./_run-units.js";
import type { UnitState } from "./output.js";
import { readSettings } from "./settings.js";

/** What systemd reports for systemd_unit on this host, one line per unit; a unit that is not active fails with its journal. */
export async function systemdStatus(ctx: HostContext): Promise<UnitState[]> {
  return runUnits(ctx, readSettings(ctx.config), "status");
}

/** The plugin's tasks: `fap run systemd:status`. */
export const systemdTasks: Readonly<Record<"systemd:status", Task>> = {
  "systemd:status": task({ description: "show what systemd reports for systemd_unit (a unit that is not active fails, with its journal)", run: systemdStatus }),
};
