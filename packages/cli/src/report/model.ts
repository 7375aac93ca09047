import { num, str, type LoggedEvent } from "./events.js";
import { buildLanes, type Lane, type PhaseBand } from "./lanes.js";

/** What the report shows: the run's header, its phases and one lane per host and role. */
export interface ReportModel {
  app?: string | undefined;
  flow: string;
  task?: string | undefined;
  deploy: string;
  stage?: string | undefined;
  role?: string | undefined;
  fap?: string | undefined;
  dryRun: boolean;
  /** undefined: the log ends before the run did (it was killed). */
  ok: boolean | undefined;
  error?: { code?: string; message?: string; hint?: string } | undefined;
  deployer?: string | undefined;
  machine?: string | undefined;
  startedAt: string;
  durationMs: number;
  releases: string[];
  revisions: string[];
  phases: PhaseBand[];
  lanes: Lane[];
  warnings: string[];
}

/** Reads the report's model out of one run's events, as the --json reporter wrote them. */
export function buildModel(events: readonly LoggedEvent[]): ReportModel {
  const first = events[0]!;
  const t0 = Date.parse(first.time);
  const at = (e: LoggedEvent) => Date.parse(e.time) - t0;
  const start = events.find((e) => e.type === "run" && e.state === "start");
  const end = events.find((e) => e.type === "run" && e.state === "end");
  const summary = events.find((e) => e.type === "summary");
  const phases: PhaseBand[] = [];
  for (const e of events) {
    if (e.type !== "phase") continue;
    if (e.state === "start") phases.push({ phase: String(e.phase), start: at(e), end: at(e), hosts: num(e.hosts) ?? 0 });
    else {
      const band = [...phases].reverse().find((p) => p.phase === e.phase);
      if (band) band.end = at(e);
    }
  }
  const lastAt = at(events.at(-1)!);
  // A phase still open when the log ends (a killed run) lasts until the log's end.
  for (const band of phases) if (band.end === band.start && !events.some((e) => e.type === "phase" && e.state === "end" && e.phase === band.phase)) band.end = lastAt;
  const lanes = buildLanes(events, phases, at, str(start?.stage));
  for (const band of phases) {
    const times = lanes.flatMap((l) => l.spans.filter((s) => s.phase === band.phase).map((s) => ({ host: l.host, ms: s.end - s.start })));
    band.slowest = times.sort((a, b) => b.ms - a.ms)[0];
  }
  const error = (end?.error ?? summary?.error) as ReportModel["error"];
  return {
    app: str(start?.app),
    flow: str(first.flow) ?? "run",
    task: str(first.task),
    deploy: str(first.deploy) ?? "",
    stage: str(start?.stage),
    role: str(start?.role),
    fap: str(start?.fap),
    dryRun: start?.dryRun === true,
    ok: typeof end?.ok === "boolean" ? end.ok : undefined,
    error,
    deployer: str(summary?.deployer),
    machine: str(summary?.machine),
    startedAt: str(summary?.startedAt) ?? first.time,
    durationMs: num(end?.durationMs) ?? lastAt,
    releases: distinct(lanes.map((l) => l.release)),
    revisions: distinct(lanes.map((l) => l.revision)),
    phases,
    lanes,
    warnings: events.filter((e) => e.type === "log" && e.level === "warn").map((e) => (e.host ? `${String(e.host)}: ` : "") + String(e.message)),
  };
}

function distinct(values: ReadonlyArray<string | undefined>): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined && v !== ""))];
}
