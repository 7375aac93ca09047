import { FapError } from "@fap/core/internal";

/** One line of a `--json` log (docs/events.md): `type`, `time`, `deploy`, `flow`, then the type's fields. */
export type LoggedEvent = Record<string, unknown> & { type: string; time: string };

/**
 * The events of one run, from a saved `--json` log. Lines that are not events (a stray line a
 * shell added) are skipped; a log holding several runs (appended to one file) gives the last.
 */
export function parseEventLog(text: string, file: string): LoggedEvent[] {
  const events: LoggedEvent[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim().startsWith("{")) continue;
    try {
      const event = JSON.parse(line) as LoggedEvent;
      if (typeof event.type !== "string" || typeof event.time !== "string") continue;
      if (event.type === "run" && event.state === "start") events.length = 0;
      events.push(event);
    } catch {
      // A line cut by a killed run: the rest of the log is still worth a report.
    }
  }
  if (!events.some((e) => e.type === "run")) {
    throw new FapError("E_USAGE", `${file} holds no fap --json events`, {
      hint: "give the file a run wrote with --json: fap run deploy -s STAGE --json > run.ndjson",
    });
  }
  return events;
}

export const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
export const num = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
