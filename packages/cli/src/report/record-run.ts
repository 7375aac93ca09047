import type { FapEvents } from "@fap/core/internal";
import { attachJsonReporter, type JsonReporter, type JsonReporterOptions } from "../json-reporter.js";
import type { LoggedEvent } from "./events.js";

export interface RunRecorder extends JsonReporter {
  /** What --json would have written so far, without the commands' output lines. */
  readonly events: readonly LoggedEvent[];
}

/**
 * Keeps a run's events for its report, as the --json reporter writes them (the same code makes
 * both, so a report built now and one rebuilt from a saved log agree). Output lines are not
 * kept: a command may print gigabytes, and the report shows commands, not their output.
 */
export function recordRun(events: FapEvents, options: Omit<JsonReporterOptions, "out">): RunRecorder {
  const kept: LoggedEvent[] = [];
  const out = {
    write(text: string) {
      const event = JSON.parse(text) as LoggedEvent;
      if (event.type !== "output") kept.push(event);
    },
  };
  const reporter = attachJsonReporter(events, { ...options, out });
  return { events: kept, start: (run) => reporter.start(run), end: (error) => reporter.end(error) };
}
