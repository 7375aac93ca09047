import type { HostState } from "../run/host-state.js";
import { openSession } from "../run/session.js";
import { type SessionOptions } from "../run/session-types.js";

export interface HostStatus {
  host: string;
  stage: string;
  role: string;
  state: HostState;
  /** Revision of the live release, when a plugin recorded one. */
  revision: string | undefined;
}

export interface StatusReport {
  hosts: HostStatus[];
  /** Hosts whose `current` differs from the most common one, per stage.role. */
  drift: string[];
}

/** What every selected host runs now, in one round trip per host; flags hosts that differ. */
export async function status(options: SessionOptions): Promise<StatusReport> {
  const session = await openSession("status", options);
  const hosts = session.contexts.map((ctx) => ({
    host: ctx.host,
    stage: ctx.stage,
    role: ctx.role,
    state: ctx.before,
    revision: ctx.before.current === undefined ? undefined : stringField(ctx.before.log.get(ctx.before.current)?.revision),
  }));
  return { hosts, drift: driftingHosts(hosts) };
}

function driftingHosts(hosts: readonly HostStatus[]): string[] {
  const byRole = new Map<string, HostStatus[]>();
  for (const h of hosts) byRole.set(`${h.stage}.${h.role}`, [...(byRole.get(`${h.stage}.${h.role}`) ?? []), h]);
  const drift: string[] = [];
  for (const group of byRole.values()) {
    const counts = new Map<string, number>();
    for (const h of group) counts.set(h.state.current ?? "", (counts.get(h.state.current ?? "") ?? 0) + 1);
    const common = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
    drift.push(...group.filter((h) => (h.state.current ?? "") !== common).map((h) => h.host));
  }
  return drift;
}

function stringField(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
