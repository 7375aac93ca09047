/**
 * What the command still waits on, and who must hear if it never finishes. Commands register
 * here; unfinished-guard reads it when the event loop drains before the command ended (a hook
 * whose promise never settles, a connection that waits on itself). No @fap/core import: main
 * loads this for every command, `fap --help` included.
 */
export type PendingSource = () => string[];
export type UnfinishedReport = (error: unknown) => void;

const sources = new Set<PendingSource>();
const reports = new Set<UnfinishedReport>();

/** Adds a source of "still waiting on X" descriptions; returns its removal. */
export function watchPending(source: PendingSource): () => void {
  sources.add(source);
  return () => sources.delete(source);
}

/** `report` is told the error if the command never finishes (e.g. to end the --json stream); returns its removal. */
export function onUnfinished(report: UnfinishedReport): () => void {
  reports.add(report);
  return () => reports.delete(report);
}

/** Everything still pending, each named once, in the order the sources name them. */
export function pendingWork(): string[] {
  return [...new Set([...sources].flatMap((source) => source()))];
}

export function unfinishedReports(): UnfinishedReport[] {
  return [...reports];
}
