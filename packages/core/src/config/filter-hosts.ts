import { FapError } from "../errors.js";
import type { Selection, Target } from "./select.js";

/**
 * `--hosts` and `--exclude-hosts` on top of stage/role: a host named there that the stage/role
 * does not have is a typo, and an error rather than a smaller deploy than intended.
 */
export function filterHosts(targets: Target[], selection: Pick<Selection, "hosts" | "excludeHosts">): Target[] {
  const { hosts, excludeHosts } = selection;
  if (hosts === undefined && excludeHosts === undefined) return targets;
  const known = new Set(targets.map((t) => t.host));
  for (const host of [...(hosts ?? []), ...(excludeHosts ?? [])]) {
    if (!known.has(host)) {
      throw new FapError("E_USAGE", `host '${host}' is not in the selected stage/role`, { hint: `hosts: ${[...known].join(", ")}` });
    }
  }
  const kept = targets.filter((t) => (hosts === undefined || hosts.includes(t.host)) && !(excludeHosts ?? []).includes(t.host));
  if (kept.length === 0) throw new FapError("E_USAGE", "no host is left after --hosts/--exclude-hosts", { hint: `hosts: ${[...known].join(", ")}` });
  return withPrimaries(kept);
}

/**
 * A role whose primary was left out gets its first kept host as primary for this run, so that
 * `once: true` work still runs once per role (as Capistrano's `primary` picks among the
 * filtered hosts), rather than nowhere.
 */
function withPrimaries(targets: Target[]): Target[] {
  const roleKey = (t: Target) => `${t.stage}\0${t.role}`;
  const hasPrimary = new Set(targets.filter((t) => t.primary).map(roleKey));
  return targets.map((t) => {
    if (hasPrimary.has(roleKey(t))) return t;
    hasPrimary.add(roleKey(t));
    return { ...t, primary: true };
  });
}
