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

export interface UnitOutput {
  result: WaitResult | undefined;
  units: UnitState[];
  journals: Array<{ unit: string; lines: string[] }>;
}

/** Reads what the script printed; `result` is undefined when it printed no answer. */
export function parseUnitOutput(stdout: string): UnitOutput {
  const output: UnitOutput = { result: undefined, units: [], journals: [] };
  let journal: { unit: string; lines: string[] } | undefined;
  for (const line of stdout.split("\n")) {
    if (!line.startsWith(MARK)) {
      if (journal && line.trim() !== "") journal.lines.push(line);
      continue;
    }
    journal = undefined;
    const [kind, ...rest] = line.slice(MARK.length).split(" ");
    if (kind === "result") output.result = rest[0] as WaitResult;
    else if (kind === "unit") {
      const [unit = "", active = "", sub = "", restarts, pid, status, result] = rest;
      output.units.push({ unit, active, sub, restarts: Number(restarts), pid: Number(pid), status: given(status), result: given(result) });
    } else if (kind === "journal") {
      journal = { unit: rest.join(" "), lines: [] };
      output.journals.push(journal);
    }
  }
  return output;
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
