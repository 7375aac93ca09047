import { readWaitReport, type WaitReport } from "@fap/core/internal";
import { MARK } from "./_script.js";

export type WaitResult = "ok" | "crashed" | "timeout";

/** One unit, as the script saw it last (`systemctl show`). */
export interface UnitState {
  unit: string;
  /** active, activating, failed, inactive, ... */
  active: string;
  /** running, auto-restart, dead, exited, ... */
  sub: string;
  /** Automatic restarts since the unit was last started by hand. */
  restarts: number;
  /** 0 when it has no main process. */
  pid: number;
  /** The main process's exit status, when it has ended. */
  status: string | undefined;
  /** systemd's Result: success, exit-code, signal, timeout, ... */
  result: string | undefined;
}

/** What the script printed: its result, each unit, the end of each unit's journal. */
export type UnitOutput = WaitReport<WaitResult, UnitState>;

/** Reads what the script printed; `result` is undefined when it printed no answer. */
export function parseUnitOutput(stdout: string): UnitOutput {
  return readWaitReport(stdout, MARK, { state: "unit", log: "journal" }, ([unit = "", active = "", sub = "", restarts, pid, status, result]) => ({
    unit,
    active,
    sub,
    restarts: Number(restarts),
    pid: Number(pid),
    status: given(status),
    result: given(result),
  }));
}

/** `api.service active (running), pid 4242` or `api.service failed (failed), exit status 1, restarted 5×`. */
export function formatUnit(state: UnitState): string {
  const parts = [`${state.unit} ${state.active} (${state.sub})`];
  if (state.pid > 0) parts.push(`pid ${state.pid}`);
  else if (state.status !== undefined && state.active !== "active") parts.push(`exit status ${state.status}`);
  if (state.result !== undefined && state.result !== "success") parts.push(`result ${state.result}`);
  if (state.restarts > 0) parts.push(`restarted ${state.restarts}×`);
  return parts.join(", ");
}

function given(value: string | undefined): string | undefined {
  return value === undefined || value === "-" || value === "" ? undefined : value;
}
