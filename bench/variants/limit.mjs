// (d) The limit: one ssh2 connection per host, in parallel, one shell script per host.
// (e) The limit with fap's barriers: the same work in the four steps fap's guarantees need.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../lib/paths.mjs";

function limitVariant(name, script, { work, hosts, repo, keep }) {
  const deployPath = `/srv/bench-${name}`;
  const job = path.join(work, `${name}-job.json`);
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
  const probeOut = path.join(work, `${name}-probe.json`);
  return {
    name,
    deployPath,
    probeOut,
    command: () => ({
      cmd: process.execPath,
      args: [path.join(ROOT, "bench/lib", script), job],
      cwd: work,
      env: { ...process.env, ...hosts.env, BENCH_PROBE_OUT: probeOut },
    }),
  };
}

export const createLimit = (setup) => limitVariant("limit", "limit-deploy.mjs", setup);
export const createPhasedLimit = (setup) => limitVariant("phased", "limit-phased-deploy.mjs", setup);
