import { describeHolder, status, type HeldLock, type StatusReport } from "@fap/core/internal";
import type { CommonOptions } from "../common-options.js";
import { lookAtHosts } from "../read-only-run.js";
import { colours } from "../style.js";

/** `fap status -s STAGE`: per host, the live release, its revision and time, the releases kept, the lock. */
export async function runStatus(common: CommonOptions, extraArgs: readonly string[]): Promise<void> {
  printStatus(await lookAtHosts(common, extraArgs, status, {}), process.stdout);
}

/** The live release, with its status unless `ok`: `live` means the run that switched to it did not finish there. */
function currentCell(current: string | undefined, status: string | undefined): string {
  if (current === undefined) return "(nothing deployed)";
  return status === undefined || status === "ok" ? current : `${current} (${status})`;
}

export function printStatus(report: StatusReport, out: NodeJS.WriteStream): void {
  const c = colours(out);
  const rows = report.hosts.map((h) => {
    const live = h.state.current === undefined ? undefined : h.state.log.get(h.state.current);
    return [
      h.host,
      `${h.stage}.${h.role}`,
      currentCell(h.state.current, live?.status),
      h.revision?.slice(0, 12) ?? "-",
      typeof live?.time === "string" ? live.time.replace(/\.\d+Z$/, "Z") : "-",
      String(h.state.releases.length),
      h.state.lock ? lockCell(h.state.lock) : "",
    ];
  });
  const header = ["host", "role", "current", "revision", "deployed", "releases", ""];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd();
  out.write(`${c.dim(line(header))}\n`);
  for (const row of rows) out.write(`${report.drift.includes(row[0]!) ? c.yellow(line(row)) : line(row)}\n`);
  if (report.drift.length > 0) out.write(c.yellow(`drift: ${report.drift.join(", ")} run a different release than the rest of their role\n`));
}

/** "locked by alice@laptop (deploy a5b4d672, pid 4242) since ..." or "locked by an unknown holder". */
function lockCell(lock: HeldLock): string {
  return `locked by ${describeHolder(lock)}${lock.holder ? ` since ${lock.holder.time}` : " (no readable lock/info)"}`;
}
