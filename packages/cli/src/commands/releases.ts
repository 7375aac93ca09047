import { status, type StatusReport } from "@fap/core/internal";
import type { CommonOptions } from "../common-options.js";
import { lookAtHosts, writeJsonLines } from "../read-only-run.js";
import { colours, type Colours } from "../style.js";

/** `fap releases -s STAGE`: the releases each host keeps, newest first, with status, revision, user and time. */
export async function runReleases(common: CommonOptions & { json?: boolean }, extraArgs: readonly string[]): Promise<void> {
  const report = await lookAtHosts(common, extraArgs, status);
  const out = process.stdout;
  if (common.json) writeJsonLines(out, releaseRows(report));
  else for (const line of formatReleases(report, colours(out))) out.write(`${line}\n`);
}

interface ReleaseRow {
  stage: string;
  role: string;
  host: string;
  id: string;
  current: boolean;
  status: string;
  revision: string | undefined;
  user: string | undefined;
  time: string | undefined;
}

/**
 * Every release directory of every target (host of one stage.role), newest first per target.
 * A host serving several roles is listed once per role: roles sharing its path show the same
 * releases (they share them), roles at their own paths each their own.
 */
function releaseRows(report: StatusReport): ReleaseRow[] {
  return report.hosts.flatMap(targetRows);
}

function targetRows(h: StatusReport["hosts"][number]): ReleaseRow[] {
  return [...h.state.releases].reverse().map((id) => {
    const entry = h.state.log.get(id);
    return {
      stage: h.stage,
      role: h.role,
      host: h.host,
      id,
      current: h.state.current === id,
      // A directory the log does not know was made by hand or by an older tool.
      status: entry?.status ?? "unknown",
      revision: typeof entry?.revision === "string" ? entry.revision : undefined,
      user: entry?.user,
      time: entry?.time,
    };
  });
}

function formatReleases(report: StatusReport, c: Colours): string[] {
  const lines: string[] = [];
  report.hosts.forEach((h, i) => {
    if (i > 0) lines.push("");
    lines.push(`${c.bold(h.host)} ${c.dim(`(${h.stage}.${h.role})`)}`);
    const mine = targetRows(h);
    if (mine.length === 0) lines.push("  (no releases)");
    const cells = mine.map((r) => [r.current ? "*" : " ", r.id, r.status, r.revision?.slice(0, 12) ?? "-", r.user ?? "-", r.time?.replace(/\.\d+Z$/, "Z") ?? "-"]);
    const widths = cells.reduce((w, row) => row.map((cell, j) => Math.max(w[j] ?? 0, cell.length)), [] as number[]);
    for (const row of cells) {
      const line = `  ${row.map((cell, j) => cell.padEnd(widths[j]!)).join("  ").trimEnd()}`;
      lines.push(row[0] === "*" ? c.green(`${line}  ← current`) : row[2] === "failed" || row[2] === "bad" ? c.red(line) : line);
    }
  });
  return lines;
}
