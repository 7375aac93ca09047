import type { HostState } from "../../src/run/host-state.js";
import type { ReleaseLogEntry, ReleaseStatus } from "../../src/release/release-log.js";

/** A host from a list of `id:status:revision` (status and revision optional) and its current id. */
export function host(name: string, ids: string[], current: string | undefined) {
  const log = new Map<string, ReleaseLogEntry>();
  for (const spec of ids) {
    const [id, status, revision] = spec.split(":");
    if (status) log.set(id!, { id: id!, status: status as ReleaseStatus, time: "", user: "", deploy: "", ...(revision === undefined ? {} : { revision }) });
  }
  const state: HostState = { current, releases: ids.map((spec) => spec.split(":")[0]!), log };
  return { host: name, state };
}
