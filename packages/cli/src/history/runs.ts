import type { ReleaseLogEntry } from "@fap/core/internal";

/** One line of one host's release log, with where it was read. */
export interface HostLine {
  host: string;
  stage: string;
  role: string;
  entry: ReleaseLogEntry;
}

export interface HostOutcome {
  host: string;
  stage: string;
  role: string;
  release: string;
  /** `ok`, `failed`, `switched back`, `live (unfinished)`, `unfinished`, `rolled back`. */
  result: string;
  ok: boolean;
  /** Deploys: the rollback that later left this host's release, if any. */
  rolledBackBy?: { deploy: string; user: string; time: string } | undefined;
}

/** One run (deploy or rollback) as the hosts' release logs remember it. */
export interface HistoryRun {
  deploy: string;
  kind: "deploy" | "rollback";
  time: string;
  user: string;
  revision: string | undefined;
  /** From its first line to its last, on any host. */
  durationMs: number;
  ok: boolean;
  hosts: HostOutcome[];
}

/**
 * Merges the release logs of every host into runs, by the deploy id each line holds: a run
 * with a `pending` line created releases (a deploy); one without only moved `current` back
 * (a rollback, whose lines name the release it left). Newest first.
 */
export function historyRuns(lines: readonly HostLine[]): HistoryRun[] {
  const byDeploy = new Map<string, HostLine[]>();
  for (const line of lines) {
    const id = typeof line.entry.deploy === "string" ? line.entry.deploy : "";
    if (!id) continue;
    byDeploy.set(id, [...(byDeploy.get(id) ?? []), line]);
  }
  const runs = [...byDeploy].map(([deploy, mine]): HistoryRun => {
    const kind = mine.some((l) => l.entry.status === "pending") ? "deploy" : "rollback";
    const times = mine.map((l) => Date.parse(l.entry.time)).filter(Number.isFinite);
    const targets = new Map<string, HostLine[]>();
    for (const l of mine) targets.set(`${l.host}\u0000${l.role}`, [...(targets.get(`${l.host}\u0000${l.role}`) ?? []), l]);
    const hosts = [...targets.values()].map((own) => outcome(kind, own));
    const first = mine.reduce((a, b) => (a.entry.time <= b.entry.time ? a : b));
    const revision = mine.map((l) => l.entry.revision).find((r): r is string => typeof r === "string");
    return {
      deploy,
      kind,
      time: first.entry.time,
      user: first.entry.user,
      revision,
      durationMs: times.length ? Math.max(...times) - Math.min(...times) : 0,
      ok: hosts.every((h) => h.ok),
      hosts,
    };
  });
  // Who rolled each deploy back: a rollback's line names the release it left on that host.
  for (const rollback of runs.filter((r) => r.kind === "rollback")) {
    for (const left of rollback.hosts.filter((h) => h.result === "rolled back")) {
      const deploy = runs.find((r) => r.kind === "deploy" && r.hosts.some((h) => h.host === left.host && h.release === left.release));
      const host = deploy?.hosts.find((h) => h.host === left.host && h.release === left.release);
      if (host) host.rolledBackBy = { deploy: rollback.deploy, user: rollback.user, time: rollback.time };
    }
  }
  return runs.sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
}

function outcome(kind: HistoryRun["kind"], own: readonly HostLine[]): HostOutcome {
  const last = own.at(-1)!;
  const statuses = own.map((l) => l.entry.status);
  const base = { host: last.host, stage: last.stage, role: last.role, release: last.entry.id };
  if (kind === "rollback") {
    // A rollback that was undone writes the release's earlier status back after `rolled-back`.
    const ok = last.entry.status === "rolled-back";
    return { ...base, result: ok ? "rolled back" : "switched back", ok };
  }
  const status = last.entry.status;
  if (status === "ok") return { ...base, result: "ok", ok: true };
  if (status === "failed") return { ...base, result: statuses.includes("live") ? "switched back" : "failed", ok: false };
  if (status === "live") return { ...base, result: "live (unfinished)", ok: false };
  return { ...base, result: "unfinished", ok: false };
}
