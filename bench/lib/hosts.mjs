// The bench's hosts: real sshd on loopback from @fap/testing, each seeing its own /srv.
import { existsSync, renameSync } from "node:fs";
import path from "node:path";
import { startTestHosts } from "@fap/testing";

export async function startHosts(count) {
  const started = Date.now();
  const hosts = await startTestHosts({ count, prefix: "h" });
  return { hosts, ms: Date.now() - started };
}

let trashed = 0;

/**
 * Empties `paths` on every host through the local filesystem (no ssh, untimed). They are only
 * renamed aside, which is instant; hosts.stop() deletes them with the hosts' directories.
 */
export function resetPaths(hosts, paths) {
  for (const host of hosts.hosts) {
    for (const p of paths) {
      const local = host.local(p);
      if (existsSync(local)) renameSync(local, path.join(host.root, `.bench-trash-${++trashed}`));
    }
  }
}
