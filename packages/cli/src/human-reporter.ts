import { shorten, type FapEventMap, type FapEvents } from "@fap/core/internal";
import { colours } from "./style.js";
import { rowKey, seconds, summaryTable, type HostSummary } from "./summary-table.js";
import { targetLabel } from "./target-labels.js";

/** Where a reporter writes: stdout, or a log file (never a TTY). */
export interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
  readonly columns?: number | undefined;
}

export interface ReporterOptions {
  out: Output;
  /** Show each command sent to a host, and the output plugins read for themselves. */
  verbose: boolean;
  /** Show each command (as under verbose), since that is what a dry run is for. */
  dryRun: boolean;
  /** Only the summary (errors are printed by the caller, on stderr). */
  quiet?: boolean;
  /** Keep a status line of the hosts still working, rewritten in place: only on a TTY. */
  live?: boolean;
  /** `::group::` per phase, for GitHub Actions logs. */
  githubGroups?: boolean;
  /** Some host serves several targets of the run: prefix its lines with `host (stage.role)`. */
  byTarget?: boolean;
  /** Where NO_COLOR and TERM are read (process.env unless given: tests pass their own). */
  env?: NodeJS.ProcessEnv;
}

export interface HumanReporter {
  /** Prints the summary table; call once at the end of a run. */
  summary(title: string): void;
  /** Prints a line (e.g. the run's header) the way the reporter prints its own. */
  line(text: string): void;
}

interface PhaseState {
  phase: string;
  hosts: number;
  started: number;
  working: Set<string>;
  done: number;
}

/**
 * Output for people: a banner per phase, every line a host prints prefixed with the host, a
 * status line naming the hosts still working (TTY only), and a summary table with each
 * host's time per phase. It only listens to events; flows never print.
 */
export function attachHumanReporter(events: FapEvents, options: ReporterOptions): HumanReporter {
  const c = colours(options.out, options.env);
  const quiet = options.quiet ?? false;
  const live = (options.live ?? false) && !quiet;
  const phases: Array<{ phase: string; durationMs: number; byHost: Map<string, number> }> = [];
  const worked = new Set<string>();
  const results = new Map<string, HostSummary>();
  let width = 4;
  let current: PhaseState | undefined;
  let status = "";
  let ticker: NodeJS.Timeout | undefined;

  const raw = (text: string) => options.out.write(text);
  const clearStatus = () => {
    if (status) raw("\r\x1b[K");
  };
  const drawStatus = () => {
    status = current && live && current.working.size > 0 ? statusLine(current) : "";
    if (status) raw(status);
  };
  const write = (line: string) => {
    clearStatus();
    raw(`${line}\n`);
    drawStatus();
  };
  const statusLine = (phase: PhaseState) => {
    const names = [...phase.working].join(", ");
    const elapsed = ((Date.now() - phase.started) / 1000).toFixed(1);
    const text = `… ${phase.phase}: waiting for ${names} (${phase.done}/${phase.hosts} done, ${elapsed}s)`;
    // A status line longer than the terminal wraps, and \r can no longer rewrite it.
    const max = Math.max(20, (options.out.columns || 80) - 1);
    return c.dim(shorten(text, max));
  };
  const refresh = () => {
    clearStatus();
    drawStatus();
  };
  type Where = { host: string; stage?: string | undefined; role?: string | undefined };
  const label = (event: Where) => targetLabel(event, options.byTarget ?? false);
  const prefix = (event: Where) => c.cyan(label(event).padEnd(width)) + c.dim(" | ");
  const seen = (event: Where) => {
    width = Math.max(width, label(event).length);
  };

  events.on("phase", (event) => {
    if (event.state === "start") {
      current = { phase: event.phase, hosts: event.hosts, started: Date.now(), working: new Set(), done: 0 };
      phases.push({ phase: event.phase, durationMs: 0, byHost: new Map() });
      if (quiet) return;
      const where = event.hosts === 0 ? "locally" : `${event.hosts} host${event.hosts === 1 ? "" : "s"}`;
      if (options.githubGroups) write(`::group::${event.phase} (${where})`);
      write(c.bold(`▸ ${event.phase}`) + c.dim(` (${where})`));
      if (live) ticker ??= setInterval(refresh, 250).unref();
      return;
    }
    const entry = [...phases].reverse().find((p) => p.phase === event.phase);
    if (entry) entry.durationMs = event.durationMs ?? 0;
    if (current?.phase === event.phase) {
      current = undefined;
      refresh();
    }
    if (!quiet && options.githubGroups) write("::endgroup::");
  });
  events.on("host-phase", (event) => {
    seen(event);
    const entry = [...phases].reverse().find((p) => p.phase === event.phase);
    if (event.state === "start") current?.working.add(label(event));
    else {
      entry?.byHost.set(rowKey(event), event.durationMs ?? 0);
      if (current?.phase === event.phase) {
        current.working.delete(label(event));
        current.done++;
      }
    }
    if (live) refresh();
  });
  events.on("command", (event) => {
    seen(event);
    if (event.phase) worked.add(event.phase);
    if (quiet || (!options.verbose && !options.dryRun)) return;
    const [first, ...rest] = event.command.split("\n");
    write(`${prefix(event)}${c.dim("$")} ${first}`);
    for (const line of rest) write(`${prefix(event)}  ${line}`);
  });
  events.on("output", (event) => {
    seen(event);
    if (quiet || (event.quiet && !options.verbose)) return;
    write(`${prefix(event)}${event.stream === "stderr" ? c.yellow(event.line) : event.line}`);
  });
  events.on("log", (event) => {
    // A warning is worth reading even under -q, and without colour its words say what it is.
    const warning = event.level === "warn";
    if (quiet && !warning) return;
    const text = warning ? c.yellow(`warning: ${event.message}`) : event.message;
    write(event.host ? `${prefix({ ...event, host: event.host })}${text}` : text);
  });
  events.on("canary", (event) => {
    if (quiet && event.state !== "failed") return;
    write(c.bold(`▸ canary: ${canaryLine(event)}`));
  });
  events.on("host-result", (event) => results.set(rowKey(event), event));

  return {
    line(text) {
      if (!quiet) write(text);
    },
    summary(title) {
      if (ticker) clearInterval(ticker);
      ticker = undefined;
      current = undefined;
      refresh();
      if (results.size === 0) return;
      if (!quiet) write("");
      write(c.bold(title));
      for (const line of summaryTable({ results: [...results.values()], phases, worked }, c)) write(line);
      if (phases.length > 0) write(c.dim(phases.map((p) => `${p.phase} ${seconds(p.durationMs)}`).join(" · ")));
    },
  };
}

function canaryLine(event: FapEventMap["canary"][0]): string {
  const hosts = event.hosts.join(", ");
  if (event.state === "publish") return `publishing ${hosts} first`;
  if (event.state === "wait") return event.waitMs ? `${hosts} healthy; checking again in ${event.waitMs / 1000} s` : `${hosts} healthy; checking again`;
  if (event.state === "passed") return `${hosts} still healthy; publishing the other hosts`;
  return `${hosts} failed; no other host was switched`;
}
