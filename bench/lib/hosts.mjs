// The bench's hosts: real sshd on loopback from @fap/testing, each seeing its own /srv.
import { existsSync, renameSync } from "node:fs";
import path from "node:path";
import { startTestHosts } from "@fap/testing";

/**
 * OpenSSH's own MaxStartups default, as real servers have it (the test hosts raise it to 200 for
 * the test suite): with one sshd per host no deploy tool here opens more than 1-2 connections to
 * one sshd at once, so it only bites where it bites in production.
 */
const BENCH_MAX_STARTUPS = "10:30:100";

export async function startHosts(count) {
  const started = Date.now();
  const hosts = await startTestHosts({ count, prefix: "h", maxStartups: BENCH_MAX_STARTUPS });
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
