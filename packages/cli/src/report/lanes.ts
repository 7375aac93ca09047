import { num, str, type LoggedEvent } from "./events.js";

/** A phase (barrier) of the run, on the shared time axis: ms from the run's start. */
export interface PhaseBand {
  phase: string;
  start: number;
  end: number;
  hosts: number;
  /** The host everyone waited for in this phase, and its time there. */
  slowest?: { host: string; ms: number } | undefined;
}

/** One host's time in one phase; `waitEnd`: when the phase (the barrier) let everyone go on. */
interface Span {
  phase: string;
  start: number;
  end: number;
  ok: boolean;
  waitEnd: number;
}

export interface CommandRun {
  phase?: string | undefined;
  plugin?: string | undefined;
  command: string;
  start: number;
  durationMs: number | undefined;
  exitCode: number | null | undefined;
}

/** One host in one role: its phases, its commands, and how it ended. */
export interface Lane {
  host: string;
  role: string;
  stage?: string | undefined;
  /** `switched`, `switched back`, `ok`, `failed`, ... (the summary's words), or the host-result state. */
  result: string;
  ok: boolean;
  note?: string | undefined;
  failedPhase?: string | undefined;
  error?: string | undefined;
  release?: string | undefined;
  revision?: string | undefined;
  switchedBack: boolean;
  unreachable: boolean;
  spans: Span[];
  commands: CommandRun[];
  totalMs: number;
}

const key = (host: unknown, role: unknown) => `${String(host)}\u0000${String(role ?? "")}`;

/** The lanes, in the order of the summary's targets (the config's), else as hosts first appear. */
export function buildLanes(events: readonly LoggedEvent[], phases: readonly PhaseBand[], at: (e: LoggedEvent) => number, stage: string | undefined): Lane[] {
  const lanes = new Map<string, Lane>();
  const lane = (host: unknown, role: unknown): Lane => {
    const k = key(host, role);
    let found = lanes.get(k);
    if (!found) {
      found = { host: String(host), role: String(role ?? ""), stage, result: "not started", ok: false, switchedBack: false, unreachable: false, spans: [], commands: [], totalMs: 0 };
      lanes.set(k, found);
    }
    return found;
  };
  const summary = events.find((e) => e.type === "summary");
  for (const t of (summary?.targets ?? []) as LoggedEvent[]) lane(t.host, t.role);
  const byHost = (host: unknown) => [...lanes.values()].filter((l) => l.host === host);
  const pending = new Map<string, number[]>();
  for (const e of events) {
    if (e.type === "host-phase") {
      const l = lane(e.host, e.role);
      const band = phases.find((p) => p.phase === e.phase && p.start <= at(e) && at(e) <= p.end) ?? phases.findLast((p) => p.phase === e.phase);
      if (e.state === "start") l.spans.push({ phase: String(e.phase), start: at(e), end: at(e), ok: true, waitEnd: band?.end ?? at(e) });
      else {
        const span = l.spans.findLast((s) => s.phase === e.phase);
        if (span) Object.assign(span, { end: at(e), ok: e.ok !== false, waitEnd: Math.max(band?.end ?? at(e), at(e)) });
        l.totalMs += num(e.durationMs) ?? 0;
      }
    } else if (e.type === "command") {
      const k = key(e.host, e.command);
      pending.set(k, [...(pending.get(k) ?? []), at(e)]);
    } else if (e.type === "command-end") {
      const starts = pending.get(key(e.host, e.command));
      const begun = starts?.shift() ?? at(e) - (num(e.durationMs) ?? 0);
      // A host in several roles runs each command once per role: it is listed in each lane.
      const run: CommandRun = { phase: str(e.phase), plugin: str(e.plugin), command: String(e.command), start: begun, durationMs: num(e.durationMs), exitCode: e.exitCode as number | null };
      for (const l of byHost(e.host)) l.commands.push(run);
    } else if (e.type === "host-result") {
      const l = lane(e.host, e.role);
      Object.assign(l, {
        ok: e.ok === true,
        result: str(e.state) ?? (e.ok === true ? "ok" : "failed"),
        note: str(e.note),
        failedPhase: str(e.phase),
        error: str(e.error),
        release: str(e.release),
        revision: str(e.revision),
        switchedBack: e.state === "switched-back",
        unreachable: e.unreachable === true,
      });
    }
  }
  // Commands whose end never came (the connection was lost, the run was killed).
  for (const [k, starts] of pending) {
    const host = k.split("\u0000")[0];
    for (const start of starts) for (const l of byHost(host)) l.commands.push({ command: k.split("\u0000")[1]!, start, durationMs: undefined, exitCode: undefined });
  }
  for (const t of (summary?.targets ?? []) as LoggedEvent[]) {
    const l = lane(t.host, t.role);
    Object.assign(l, { stage: str(t.stage) ?? l.stage, result: str(t.result) ?? l.result, ok: t.ok === true, note: str(t.note) ?? l.note });
    l.release ??= str(t.release);
    l.revision ??= str(t.revision);
    l.failedPhase ??= str(t.phase);
    l.error ??= str(t.error);
    l.switchedBack ||= t.state === "switched-back";
    l.unreachable ||= t.unreachable === true;
  }
  return [...lanes.values()];
}
