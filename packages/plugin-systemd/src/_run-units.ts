import { FapError, type ExecResult, type HostContext } from "@fap/core";
import { lastLogLine, lastNonEmptyLine } from "@fap/core/internal";
import { EXIT } from "./_script.js";
import { unitCommand, type UnitAction } from "./command.js";
import { formatUnit, parseUnitOutput, type UnitOutput, type UnitState } from "./output.js";
import type { SystemdSettings } from "./settings.js";

/**
 * Runs the action on every unit of systemd_unit and waits until they stay active; logs one line
 * per unit, or throws an error that says what systemd reports and how the unit's journal ends
 * (the journal's last lines are logged too, as warnings).
 */
export async function runUnits(ctx: HostContext, settings: SystemdSettings, action: UnitAction = settings.action): Promise<UnitState[]> {
  const result = await ctx.run(unitCommand(settings, action), {
    allowFailure: true,
    quiet: true,
    readOnly: action === "status",
    // The wait, plus the action itself (a notify unit's start) and the round trip.
    timeoutMs: (settings.timeout + settings.minUptime + 120) * 1000,
  });
  if (ctx.dryRun) return [];
  const output = parseUnitOutput(result.stdout);
  if (result.exitCode === 0 && output.result === "ok") {
    for (const state of output.states) ctx.log(formatUnit(state));
    return output.states;
  }
  for (const journal of output.logs) {
    ctx.log(`${journal.name}'s journal ends with:`, "warn");
    for (const line of journal.lines) ctx.log(`  ${line}`, "warn");
  }
  throw unitFailure(ctx.host, settings, action, result, output);
}

export function unitFailure(host: string, settings: SystemdSettings, action: UnitAction, result: ExecResult, output: UnitOutput): FapError {
  const details = { exitCode: result.exitCode, stderr: result.stderr, units: output.states };
  const systemctl = settings.user ? "systemctl --user" : "systemctl";
  const said = lastNonEmptyLine(result.stderr) ?? `exit code ${result.exitCode ?? result.signal}`;
  const names = settings.units.join(" ");
  const bad = output.states.filter((state) => state.active !== "active");
  const states = (bad.length > 0 ? bad : output.states).map(formatUnit).join("; ");
  const lastJournal = lastLogLine(output.logs);
  const why = [states, lastJournal && `its journal ends with: ${lastJournal.trim()}`].filter(Boolean).join("; ");
  const journalctl = settings.user ? `journalctl --user-unit=${settings.units[0]}` : `journalctl -u ${settings.units[0]}`;
  const hint = `see the unit's journal on the host (${journalctl}); fix the app or its unit, or give it longer with systemd_timeout`;
  switch (result.exitCode) {
    case EXIT.NO_SYSTEMCTL:
      return new FapError("E_COMMAND_FAILED", "systemctl is not on the PATH of the host's ssh sessions", { host, hint: "deploy to a host that runs systemd", details });
    case EXIT.UNIT_MISSING:
      return new FapError("E_CONFIG", `${systemctl} ${action} ${names} failed: ${said}`, {
        host,
        hint: settings.user
          ? "systemd_unit must name a unit of the user's manager: install its file in ~/.config/systemd/user (or set systemd_user: false for a system unit)"
          : "systemd_unit must name an installed unit (systemctl cat UNIT), or set systemd_user: true for a unit of the SSH user's own manager",
        details,
      });
    case EXIT.ACTION_FAILED:
      return new FapError("E_COMMAND_FAILED", `${systemctl} failed: ${said}`, { host, hint: actionHint(settings, result.stderr), details });
    default:
      break;
  }
  if (result.exitCode !== 0 || output.result === undefined) {
    return new FapError("E_COMMAND_FAILED", `${systemctl} ${action} ${names} failed: ${said}`, { host, hint: actionHint(settings, result.stderr), details });
  }
  if (output.result === "crashed") {
    const verb = action === "status" ? "is not active" : "does not stay active";
    return new FapError("E_COMMAND_FAILED", `${bad.map((state) => state.unit).join(", ") || names} ${verb}: ${why}`, { host, hint, details });
  }
  return new FapError("E_COMMAND_TIMEOUT", `${settings.units.join(", ")} not active for ${settings.minUptime} s within ${settings.timeout} s${why ? `: ${why}` : ""}`, { host, hint, details });
}

/** The likely cause of systemctl failing before the units were touched. */
function actionHint(settings: SystemdSettings, stderr: string): string {
  if (/Access denied|Interactive authentication required|authentication/i.test(stderr)) {
    return "system units need root: set sudo: true (or run_as: root), or systemd_user: true for the SSH user's own units";
  }
  if (settings.user) {
    return "is the user's systemd running? Without a login session it needs `loginctl enable-linger USER` (once, as root); XDG_RUNTIME_DIR must be its /run/user/UID";
  }
  return "is systemd the host's init? systemctl must reach it (system units need root: sudo: true or run_as: root)";
}
