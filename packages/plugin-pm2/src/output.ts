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

export interface WaitOutput {
  result: WaitResult | undefined;
  processes: Pm2Process[];
  logs: Array<{ file: string; lines: string[] }>;
}

/** Reads what the wait script printed; `result` is undefined when it printed no answer. */
export function parseWaitOutput(stdout: string): WaitOutput {
  const output: WaitOutput = { result: undefined, processes: [], logs: [] };
  let log: { file: string; lines: string[] } | undefined;
  for (const line of stdout.split("\n")) {
    if (!line.startsWith(MARK)) {
      if (log && line !== "") log.lines.push(line);
      continue;
    }
    log = undefined;
    const [kind, ...rest] = line.slice(MARK.length).split(" ");
    if (kind === "result") output.result = rest[0] as WaitResult;
    else if (kind === "proc") {
      const [id, status = "", restarts, uptime, ...script] = rest;
      output.processes.push({ id: Number(id), status, restarts: Number(restarts), uptime: Number(uptime), script: script.join(" ") });
    } else if (kind === "log") {
      log = { file: rest.join(" "), lines: [] };
      output.logs.push(log);
    }
  }
  return output;
}

/** `app#0 online 3 s (restarted 2×)`. */
export function formatProcess(name: string, p: Pm2Process): string {
  const up = p.status === "online" ? ` ${p.uptime} s` : "";
  return `${name}#${p.id} ${p.status}${up}${p.restarts > 0 ? `, restarted ${p.restarts}×` : ""}`;
}
