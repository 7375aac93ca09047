import { readWaitReport, type WaitReport } from "@fap/core/internal";
import { MARK } from "./_wait-script.js";

export type WaitResult = "ok" | "crashed" | "stale" | "timeout" | "missing";

/** One process of the app, as the wait script saw it last. */
export interface Pm2Process {
  id: number;
  /** online, launching, errored, stopped, ... */
  status: string;
  restarts: number;
  /** Seconds online (0 when not online). */
  uptime: number;
  /** The script it runs, symlinks resolved: inside the release it runs. */
  script: string;
}

/** What the wait script printed: its result, each process, the end of each of its logs. */
export type WaitOutput = WaitReport<WaitResult, Pm2Process>;

/** Reads what the wait script printed; `result` is undefined when it printed no answer. */
export function parseWaitOutput(stdout: string): WaitOutput {
  return readWaitReport(stdout, MARK, { state: "proc", log: "log" }, ([id, status = "", restarts, uptime, ...script]) => ({
    id: Number(id),
    status,
    restarts: Number(restarts),
    uptime: Number(uptime),
    script: script.join(" "),
  }));
}

/** `app#0 online 3 s (restarted 2×)`. */
export function formatProcess(name: string, p: Pm2Process): string {
  const up = p.status === "online" ? ` ${p.uptime} s` : "";
  return `${name}#${p.id} ${p.status}${up}${p.restarts > 0 ? `, restarted ${p.restarts}×` : ""}`;
}
