import { MARK } from "./_script.js";

/** One line of `supervisorctl status`. */
export interface ProgramStatus {
  /** `app`, or `group:process`. */
  name: string;
  /** RUNNING, STARTING, BACKOFF, FATAL, EXITED, STOPPED, ...; ERROR when supervisord knows no such program. */
  state: string;
  /** `pid 123, uptime 0:01:02`, `Exited too quickly (process log may have details)`, `(no such process)`. */
  description: string;
}

/** Parses `supervisorctl status` output; lines that are no status (an error message) are skipped. */
export function parseStatus(text: string): ProgramStatus[] {
  const statuses: ProgramStatus[] = [];
  for (const line of text.split("\n")) {
    const match = /^(\S+?):?\s+([A-Z]+)\b\s*(.*)$/.exec(line.trimEnd());
    if (match?.[1] && match[2]) statuses.push({ name: match[1], state: match[2], description: (match[3] ?? "").trim() });
  }
  return statuses;
}

/** `app RUNNING pid 123, uptime 0:00:02`, as supervisorctl prints it but without the padding. */
export function formatStatus(status: ProgramStatus): string {
  return [status.name, status.state, status.description].filter(Boolean).join(" ");
}

/** What `programCommand` printed: supervisorctl's own lines, the final status, the logs of processes that are not RUNNING. */
export interface ProgramOutput {
  lines: string[];
  status: ProgramStatus[] | undefined;
  logs: Array<{ name: string; lines: string[] }>;
}

export function parseProgramOutput(stdout: string): ProgramOutput {
  const output: ProgramOutput = { lines: [], status: undefined, logs: [] };
  let section: string[] = output.lines;
  let statusLines: string[] | undefined;
  for (const line of stdout.split("\n")) {
    if (line === `${MARK}status`) {
      statusLines = [];
      section = statusLines;
    } else if (line.startsWith(`${MARK}log `)) {
      const log = { name: line.slice(`${MARK}log `.length), lines: [] as string[] };
      output.logs.push(log);
      section = log.lines;
    } else {
      section.push(line);
    }
  }
  if (statusLines !== undefined) output.status = parseStatus(statusLines.join("\n"));
  for (const log of output.logs) log.lines = trimBlank(log.lines);
  output.lines = trimBlank(output.lines);
  return output;
}

function trimBlank(lines: string[]): string[] {
  const kept = lines.map((line) => line.trimEnd());
  while (kept.length > 0 && kept[0] === "") kept.shift();
  while (kept.length > 0 && kept.at(-1) === "") kept.pop();
  return kept;
}
