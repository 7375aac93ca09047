import { FapError } from "../errors.js";
import { isGoodRelease, type HostState } from "../run/host-state.js";

/** A host of a rollback, with what it holds. */
export interface RollbackHost {
  host: string;
  state: HostState;
}

/** A revision given with --to matches a release's recorded revision in full, or as a prefix of at least this many characters. */
const MIN_REVISION_PREFIX = 7;

/**
 * Where each host goes for `rollback --to WANTED`: the release of that id, or else the newest
 * release whose recorded revision is WANTED, in good state on that host. Every host must hold
 * one and not run it already; otherwise the rollback is refused naming each host that does not
 * and what it holds, before any phase, so nothing changes anywhere.
 */
export function rollbackToTargets(hosts: readonly RollbackHost[], wanted: string): string[] {
  const targets = hosts.map((h) => releaseOf(h.state, wanted));
  const missing = hosts.filter((h, i) => targets[i] === undefined || targets[i] === h.state.current);
  if (missing.length === 0) return targets as string[];
  const list = missing.map((h) => `${h.host}: ${holds(h.state, wanted)}`).join("; ");
  throw new FapError("E_RELEASE_NOT_FOUND", `rollback --to ${wanted}: not every host can go there (${list}); nothing was changed`, {
    hint: "fap releases -s STAGE lists what each host holds; choose a release every host holds in good state, or select hosts with --hosts",
  });
}

/** The release `wanted` names on this host, when it is there in good state. */
function releaseOf(state: HostState, wanted: string): string | undefined {
  if (state.releases.includes(wanted)) return isGoodRelease(state, wanted) ? wanted : undefined;
  return state.releases.filter((id) => isGoodRelease(state, id) && revisionMatches(state.log.get(id)?.revision, wanted)).pop();
}

function revisionMatches(revision: unknown, wanted: string): boolean {
  if (typeof revision !== "string" || revision === "") return false;
  return revision === wanted || (wanted.length >= MIN_REVISION_PREFIX && revision.startsWith(wanted));
}

/** Why a host cannot go to `wanted`, with what it holds: "runs it already", "holds it as failed", "holds none of it (runs A; holds A, B)". */
function holds(state: HostState, wanted: string): string {
  const target = releaseOf(state, wanted);
  if (target !== undefined && target === state.current) return `already runs ${target}`;
  const status = (id: string) => state.log.get(id)?.status ?? "unknown";
  if (state.releases.includes(wanted)) return `holds ${wanted} as ${status(wanted)}`;
  const ofRevision = state.releases.filter((id) => revisionMatches(state.log.get(id)?.revision, wanted));
  if (ofRevision.length > 0) return `holds that revision only as ${ofRevision.map((id) => `${id} (${status(id)})`).join(", ")}`;
  const runs = state.current === undefined ? "runs nothing" : `runs ${state.current}`;
  return `does not hold it (${runs}; holds ${state.releases.length === 0 ? "no release" : state.releases.join(", ")})`;
}
