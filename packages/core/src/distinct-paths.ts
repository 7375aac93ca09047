import type { HostPaths } from "./context.js";
import type { Target } from "./config/select.js";
import { FapError } from "./errors.js";
import type { ResolvedAddress } from "./remote.js";

/**
 * Two roles deploying into one path on one host would overwrite each other's releases (and the
 * second would find the first one's lock). Checked as each host is connected, before its lock.
 */
export class DistinctPaths {
  private readonly seen = new Map<string, { target: Target; index: number }>();

  check(target: Target, index: number, address: ResolvedAddress, paths: HostPaths): void {
    const key = `${address.user}@${address.hostname}:${address.port}${paths.root}`;
    const other = this.seen.get(key);
    if (other === undefined) {
      this.seen.set(key, { target, index });
      return;
    }
    // Named in config order, whichever connected first.
    const [first, second] = other.index < index ? [other.target, target] : [target, other.target];
    throw new FapError("E_CONFIG", `${first.stage}.${first.role} and ${second.stage}.${second.role} both deploy to ${paths.root} on ${target.host}`, {
      hint: "give each role its own path, or deploy them separately with -r ROLE",
    });
  }
}
