/** The end of one log a wait script brought back (a process's log file, a unit's journal). */
export interface LogTail {
  name: string;
  /** As printed, blank lines left out. */
  lines: string[];
}

/**
 * What a runtime plugin's wait script reported: its answer (undefined when it printed none),
 * what it saw last of each process or unit, and the end of the logs it brought back.
 */
export interface WaitReport<Result extends string, State> {
  result: Result | undefined;
  states: State[];
  logs: LogTail[];
}

/** The words after the mark that start each kind of line the script prints (`proc`, `log`). */
export interface WaitReportKinds {
  state: string;
  log: string;
}

/**
 * Reads what a wait script printed (pm2's, systemd's): each line it reports starts with `mark`,
 * `<mark>result <answer>`, `<mark><state kind> <word>...` (read by `toState`), `<mark><log kind>
 * <name>` followed by that log's lines up to the next mark. Lines before the first mark are not
 * the script's own.
 */
export function readWaitReport<Result extends string, State>(
  stdout: string,
  mark: string,
  kinds: WaitReportKinds,
  toState: (words: string[]) => State,
): WaitReport<Result, State> {
  const report: WaitReport<Result, State> = { result: undefined, states: [], logs: [] };
  let log: LogTail | undefined;
  for (const line of stdout.split("\n")) {
    if (!line.startsWith(mark)) {
      if (log && line.trim() !== "") log.lines.push(line);
      continue;
    }
    log = undefined;
    const [kind, ...words] = line.slice(mark.length).split(" ");
    if (kind === "result") report.result = words[0] as Result;
    else if (kind === kinds.state) report.states.push(toState(words));
    else if (kind === kinds.log) {
      log = { name: words.join(" "), lines: [] };
      report.logs.push(log);
    }
  }
  return report;
}

/**
 * The last line of the logs that is not a stack frame, for an error message: the error a stack
 * trace is under says more than its last frame.
 */
export function lastLogLine(logs: readonly LogTail[]): string | undefined {
  return logs.map((log) => log.lines.filter((line) => !/^\s*at\s/.test(line)).at(-1)).find(Boolean);
}
