import { hostResultText, type FapEventMap } from "@fap/core/internal";
import type { Colours } from "./style.js";

/** One row: what core reported for a host (and role) at the end of the run. */
export type HostSummary = FapEventMap["host-result"][0];

export interface SummaryInput {
  results: readonly HostSummary[];
  /** Phases in the order they ran; each with its duration per host (ms), keyed by `rowKey`. */
  phases: ReadonlyArray<{ phase: string; byHost: ReadonlyMap<string, number> }>;
  /** Phases in which some host ran a command: the ones worth a column. */
  worked: ReadonlySet<string>;
}

/**
 * The summary table: host, release, result, revision, then the seconds each host spent in
 * each phase that did something, and its total. Columns nobody has a value for are left out.
 */
export function summaryTable(input: SummaryInput, c: Colours): string[] {
  const phaseColumns = input.phases.filter((p) => input.worked.has(p.phase) && p.byHost.size > 0);
  const timed = input.phases.some((p) => p.byHost.size > 0);
  const columns: Array<{ title: string; cell: (r: HostSummary) => string; paint?: (text: string, r: HostSummary) => string }> = [
    { title: "host", cell: (r) => r.host },
  ];
  // Stage and role columns only when some host serves several targets: otherwise its rows would
  // look alike. The stage only when the run spans several.
  const hosts = input.results.map((r) => r.host);
  if (new Set(hosts).size < hosts.length) {
    if (new Set(input.results.map((r) => r.stage)).size > 1) columns.push({ title: "stage", cell: (r) => r.stage ?? "-" });
    columns.push({ title: "role", cell: (r) => r.role ?? "-" });
  }
  if (input.results.some((r) => r.release)) columns.push({ title: "release", cell: (r) => r.release ?? "-" });
  columns.push({
    title: "result",
    cell: hostResultText,
    paint: (text, r) => (r.ok ? c.green(text) : r.phase || r.state === "not-switched-back" || r.lockLeft ? c.red(text) : c.yellow(text)),
  });
  if (input.results.some((r) => r.revision)) columns.push({ title: "revision", cell: (r) => r.revision?.slice(0, 12) ?? "-" });
  for (const { phase, byHost } of phaseColumns) {
    columns.push({ title: phase, cell: (r) => seconds(byHost.get(rowKey(r))) });
  }
  if (timed) {
    columns.push({
      title: "total",
      cell: (r) => {
        const all = input.phases.map((p) => p.byHost.get(rowKey(r))).filter((ms): ms is number => ms !== undefined);
        return all.length === 0 ? "-" : seconds(all.reduce((a, b) => a + b, 0));
      },
    });
  }
  const cells = input.results.map((r) => columns.map((col) => col.cell(r)));
  const widths = columns.map((col, i) => Math.max(col.title.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: string[], paint?: (i: number, text: string) => string) =>
    row
      .map((text, i) => {
        const padded = text.padEnd(widths[i]!);
        return paint ? paint(i, padded) : padded;
      })
      .join("  ")
      .trimEnd();
  return [
    c.dim(line(columns.map((col) => col.title))),
    ...input.results.map((r, n) => line(cells[n]!, (i, text) => columns[i]!.paint?.(text, r) ?? text)),
  ];
}

/** One row per target: stage, role and host. */
export function rowKey(r: { host: string; stage?: string | undefined; role?: string | undefined }): string {
  return `${r.stage ?? ""}\u0000${r.role ?? ""}\u0000${r.host}`;
}

export function seconds(ms: number | undefined): string {
  return ms === undefined ? "-" : `${(ms / 1000).toFixed(2)}s`;
}
