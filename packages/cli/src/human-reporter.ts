import type { FapEvents } from "@fap/core";
import { colours } from "./style.js";

export interface ReporterOptions {
  out: NodeJS.WriteStream;
  /** Show each command sent to a host (always on under --dry-run). */
  verbose: boolean;
  dryRun: boolean;
}

export interface HumanReporter {
  /** Prints the summary table; call once at the end of a run. */
  summary(title: string): void;
}

/**
 * Output for people: a banner per phase, every line a host prints prefixed with the host, and
 * a summary table. It only listens to events; flows never print.
 */
export function attachHumanReporter(events: FapEvents, options: ReporterOptions): HumanReporter {
  const c = colours(options.out);
  const write = (line: string) => options.out.write(`${line}\n`);
  const phases: Array<{ phase: string; durationMs: number }> = [];
  const results = new Map<string, { release?: string | undefined; ok: boolean; phase?: string | undefined; error?: string | undefined }>();
  let width = 0;
  const prefix = (host: string) => c.cyan(host.padEnd(width)) + c.dim(" | ");

  events.on("phase", (event) => {
    width = Math.max(width, 4);
    if (event.state === "start") write(c.bold(`▸ ${event.phase}`) + c.dim(` (${event.hosts} host${event.hosts === 1 ? "" : "s"})`));
    else phases.push({ phase: event.phase, durationMs: event.durationMs ?? 0 });
  });
  events.on("command", (event) => {
    width = Math.max(width, event.host.length);
    if (!options.verbose && !options.dryRun) return;
    const [first, ...rest] = event.command.split("\n");
    write(`${prefix(event.host)}${c.dim("$")} ${first}`);
    for (const line of rest) write(`${prefix(event.host)}  ${line}`);
  });
  events.on("output", (event) => {
    width = Math.max(width, event.host.length);
    if (event.quiet && !options.verbose) return;
    write(`${prefix(event.host)}${event.stream === "stderr" ? c.yellow(event.line) : event.line}`);
  });
  events.on("log", (event) => {
    const text = event.level === "warn" ? c.yellow(event.message) : event.message;
    write(event.host ? `${prefix(event.host)}${text}` : text);
  });
  events.on("host-result", (event) => results.set(event.host, event));

  return {
    summary(title) {
      if (results.size === 0) return;
      const rows = [...results].map(([host, r]) => [
        host,
        r.release ?? "-",
        r.ok ? c.green("ok") : c.red(`failed${r.phase ? ` in ${r.phase}` : ""}`),
      ]);
      const widths = [4, 7].map((min, i) => Math.max(min, ...rows.map((row) => row[i]!.length)));
      write("");
      write(c.bold(title));
      write(c.dim(`${"host".padEnd(widths[0]!)}  ${"release".padEnd(widths[1]!)}  result`));
      for (const row of rows) write(`${row[0]!.padEnd(widths[0]!)}  ${row[1]!.padEnd(widths[1]!)}  ${row[2]}`);
      if (phases.length > 0) {
        write(c.dim(phases.map((p) => `${p.phase} ${(p.durationMs / 1000).toFixed(2)}s`).join(" · ")));
      }
    },
  };
}
