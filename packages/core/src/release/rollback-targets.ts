import { FapError } from "../errors.js";
import { isGoodRelease, rollbackTarget, type HostState } from "../run/host-state.js";
import { compareReleaseIds } from "./release-id.js";
import { rollbackToTargets, type RollbackHost } from "./rollback-to.js";

/**
 * Where each host of a rollback goes. Every host must go to the same release: hosts whose
 * own targets differ (an interrupted deploy switched only some, a host joined later) are
 * refused with each host's current and target, unless `align` picks the newest release that
 * every host holds in good state, older than every host's `current`. Hosts with no target
 * are left undefined: `reverting` fails them, and nothing changes anywhere. With `to` (--to)
 * every host goes to that release or revision instead (see rollbackToTargets).
 */
export function rollbackTargets(hosts: readonly RollbackHost[], align: boolean, to?: string): Array<string | undefined> {
  if (to !== undefined) return rollbackToTargets(hosts, to);
  const own = hosts.map((h) => rollbackTarget(h.state));
  const distinct = new Set(own.filter((id): id is string => id !== undefined));
  if (distinct.size <= 1) return own;
  const list = hosts.map((h, i) => `${h.host}: ${h.state.current ?? "nothing"} → ${own[i] ?? "none"}`).join(", ");
  if (!align) {
    throw new FapError("E_ROLLBACK_DIVERGED", `the hosts would roll back to different releases (${list}); nothing was changed`, {
      hint: "roll every host back to the newest release all of them hold in good state with --align, or select hosts with --hosts",
    });
  }
  const common = commonTarget(hosts.map((h) => h.state));
  if (common === undefined) {
    throw new FapError("E_ROLLBACK_DIVERGED", `no release older than every host's current is good on every host (${list}); nothing was changed`, {
      hint: "deploy the version you want instead",
    });
  }
  return hosts.map((h) => (h.state.current === undefined ? undefined : common));
}

function commonTarget(states: readonly HostState[]): string | undefined {
  const deployed = states.filter((s) => s.current !== undefined);
  const [first, ...rest] = deployed;
  if (first === undefined) return undefined;
  const goodBelowCurrent = (s: HostState, id: string) => s.releases.includes(id) && isGoodRelease(s, id) && compareReleaseIds(id, s.current!) < 0;
  return first.releases.filter((id) => goodBelowCurrent(first, id) && rest.every((s) => goodBelowCurrent(s, id))).pop();
}
