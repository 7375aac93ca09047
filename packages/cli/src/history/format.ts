import { secs } from "../report/html.js";
import type { Colours } from "../style.js";
import type { HistoryRun } from "./runs.js";

/** `fap history` for people: one block per run, newest first, one line per host. */
export function formatHistory(runs: readonly HistoryRun[], c: Colours): string[] {
  if (runs.length === 0) return ["no deploys recorded on these hosts yet"];
  const lines: string[] = [];
  for (const run of runs) {
    const when = run.time.replace("T", " ").replace(/\.\d+Z$/, "Z");
    const result = run.ok ? c.green("ok") : c.red("failed");
    const revision = run.revision ? ` ${run.revision.slice(0, 12)}` : "";
    lines.push(`${c.bold(`${when}  ${run.kind}`)} ${run.deploy}  by ${run.user}${revision}  ${secs(run.durationMs)}  ${result}`);
    const width = Math.max(...run.hosts.map((h) => h.host.length));
    for (const h of run.hosts) {
      const back = h.rolledBackBy ? c.yellow(`, rolled back by ${h.rolledBackBy.user} at ${h.rolledBackBy.time.replace("T", " ").replace(/\.\d+Z$/, "Z")} (${h.rolledBackBy.deploy})`) : "";
      const what = run.kind === "rollback" ? `from ${h.release}` : h.release;
      lines.push(`  ${h.host.padEnd(width)}  ${c.dim(`${h.stage}.${h.role}`)}  ${what}  ${h.ok ? h.result : c.red(h.result)}${back}`);
    }
  }
  return lines;
}
