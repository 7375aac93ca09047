/**
 * `pending`: created; `live`: switched to, but its run has not passed every phase (yet, or ever:
 * it failed later, or the host could not be switched back); `ok`: its run passed every phase
 * on this host; `failed`: removed after a failure; `rolled-back`: left by a rollback; `bad`:
 * marked by hand (`fap releases --mark-bad`), never chosen by a rollback.
 */
export type ReleaseStatus = "pending" | "live" | "ok" | "failed" | "rolled-back" | "bad";

/** One line of `.fap/releases.log`. The log is append-only; the last line of an id wins. */
export interface ReleaseLogEntry {
  id: string;
  status: ReleaseStatus;
  time: string;
  user: string;
  deploy: string;
  revision?: string;
  [field: string]: unknown;
}

export function formatLogLine(entry: ReleaseLogEntry): string {
  return JSON.stringify(entry);
}

/** The latest status of each release; lines that are not ours (or are torn) are skipped. */
export function parseReleaseLog(text: string): Map<string, ReleaseLogEntry> {
  const byId = new Map<string, ReleaseLogEntry>();
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line) as ReleaseLogEntry;
      if (typeof entry.id === "string" && typeof entry.status === "string") {
        byId.set(entry.id, { ...byId.get(entry.id), ...entry });
      }
    } catch {
      // A line torn by a crash mid-write must not make the whole log unreadable.
    }
  }
  return byId;
}
