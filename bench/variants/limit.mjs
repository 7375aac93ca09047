// (d) The limit: one ssh2 connection per host, in parallel, one shell script per host.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../lib/paths.mjs";

export function createLimit({ work, hosts, repo, keep }) {
  const deployPath = "/srv/bench-limit";
  const job = path.join(work, "limit-job.json");
  writeFileSync(
    job,
    JSON.stringify({
      hosts: hosts.hosts.map((h) => ({ host: "127.0.0.1", port: h.port })),
      user: hosts.hosts[0].user,
      identityFile: hosts.identityFile,
      path: deployPath,
      repo: repo.bare,
      branch: repo.branch,
      keep,
    }),
  );
  const probeOut = path.join(work, "limit-probe.json");
  return {
    name: "limit",
    deployPath,
    probeOut,
    command: () => ({
      cmd: process.execPath,
      args: [path.join(ROOT, "bench/lib/limit-deploy.mjs"), job],
      cwd: work,
      env: { ...process.env, ...hosts.env, BENCH_PROBE_OUT: probeOut },
    }),
  };
}
