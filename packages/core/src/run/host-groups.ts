import type { HostPaths } from "../context.js";
import type { Target } from "../config/select.js";
import { FapError } from "../errors.js";
import { formatAddress, type ResolvedAddress } from "../remote.js";

/**
 * Keys a release is made of: two roles sharing one release on a host (see host-of-run.ts)
 * cannot differ in them. Core's, and those of fap's own plugins that shape the release.
 */
const RELEASE_KEYS: readonly string[] = [
  "releases_path", "current_path", "shared_path", "release_id_format", "keep_releases", "lock_ttl", "environment",
  "repo", "branch", "git_shallow_clone", "git_archive_tree", "revision_file", "repo_path",
  "curl_url", "curl_extract_tar", "curl_extract_tgz", "curl_postinstall_script",
  "virtualenv_requirements", "virtualenv_venv_path",
];

interface Seen {
  target: Target;
  index: number;
  values: Readonly<Record<string, unknown>>;
}

/**
 * Groups the targets of a run into hosts of the run as each host is connected, before its
 * lock: roles of one stage on one host and path share one release (Capistrano's model), and
 * must agree on the RELEASE_KEYS. Two stages on one path would overwrite each other's releases.
 */
export class HostGroups {
  private readonly seen = new Map<string, Seen>();

  constructor(private readonly checked: boolean) {}

  /** The key of `target`'s host of the run; E_CONFIG when it cannot share it (deploy, rollback). */
  join(target: Target, index: number, address: ResolvedAddress, paths: HostPaths, values: Readonly<Record<string, unknown>>): string {
    const where = `${formatAddress(address)}${paths.root}`;
    // Unchecked, the stage, host and path alone make the key.
    if (!this.checked) return `${target.stage}\0${where}`;
    const other = this.seen.get(where);
    if (other === undefined) {
      this.seen.set(where, { target, index, values });
      return `${target.stage}\0${where}`;
    }
    // Named in config order, whichever connected first.
    const [first, second] = other.index < index ? [other, { target, index, values }] : [{ target, index, values }, other];
    const names = `${first.target.stage}.${first.target.role} and ${second.target.stage}.${second.target.role}`;
    if (first.target.stage !== second.target.stage) {
      throw new FapError("E_CONFIG", `${names} both deploy to ${paths.root} on ${target.host}`, {
        hint: "give each stage its own path",
      });
    }
    const differing = RELEASE_KEYS.find((key) => JSON.stringify(first.values[key]) !== JSON.stringify(second.values[key]));
    if (differing !== undefined) {
      const shown = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value) ?? "unset");
      // Values that may hold a credential or a secret are named, not shown.
      const values = ["environment", "repo", "curl_url"].includes(differing) ? "" : ` (${shown(first.values[differing])} and ${shown(second.values[differing])})`;
      throw new FapError("E_CONFIG", `${names} deploy to ${paths.root} on ${target.host} but differ in ${differing}${values}`, {
        hint: `roles on one host and path share one release: give ${differing} one value for both (e.g. on the stage), or give each role its own path`,
      });
    }
    return `${target.stage}\0${where}`;
  }
}
