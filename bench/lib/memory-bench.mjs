// Memory: one fap deploy to many hosts (default 200), peak RSS of the fap process. When fewer sshd
// than hosts run, the hosts are ssh-config aliases spread over them, each alias deploying to its
// own path (/srv/bench-mem/<alias>): fap refuses two targets with one path on one sshd.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { deployYml, fapCommand, fapProject } from "../variants/fap.mjs";
import { resetPaths, startHosts } from "./hosts.mjs";
import { makeRepo } from "./repo.mjs";
import { runChild } from "./run-child.mjs";

function aliasHome(dir, hosts, count) {
  const ssh = path.join(dir, "home/.ssh");
  mkdirSync(ssh, { recursive: true, mode: 0o700 });
  const aliases = [];
  const lines = [];
  for (let i = 0; i < count; i++) {
    const host = hosts.hosts[i % hosts.hosts.length];
    const alias = `m${i + 1}`;
    aliases.push({ alias, host });
    lines.push(`Host ${alias}`, "  HostName 127.0.0.1", `  Port ${host.port}`, `  User ${host.user}`,
      `  IdentityFile ${hosts.identityFile}`, "  IdentitiesOnly yes", `  UserKnownHostsFile ${hosts.knownHostsPath}`, "");
  }
  writeFileSync(path.join(ssh, "config"), lines.join("\n"), { mode: 0o600 });
  return { home: path.join(dir, "home"), aliases };
}

async function startSome(wanted, log) {
  try {
    return { ...(await startHosts(wanted)), sshd: wanted };
  } catch (error) {
    const fewer = Math.min(50, Math.max(1, Math.floor(wanted / 4)));
    if (fewer >= wanted) throw error;
    log(`memory: ${wanted} sshd failed to start (${error.message}); using ${fewer} sshd with aliases`);
    return { ...(await startHosts(fewer)), sshd: fewer };
  }
}

export async function benchMemory({ hosts: count, sshd, log }) {
  const work = mkdtempSync(path.join(os.tmpdir(), "fap-bench-mem-"));
  const repo = makeRepo(work);
  const started = await startSome(Math.min(sshd, count), log);
  const { hosts } = started;
  log(`memory: ${started.sshd} sshd up in ${started.ms} ms for ${count} hosts`);
  try {
    const { home, aliases } = aliasHome(work, hosts, count);
    const yml = deployYml({ repo, deployPath: "/srv/bench-mem/%(host)s", keep: 3, hosts: aliases.map((a) => a.alias), parallel: 10 });
    const dir = fapProject(path.join(work, "project"), { "deploy.yml": yml });
    const env = { ...process.env, ...hosts.env, HOME: home };
    const probeOut = path.join(work, "probe.json");
    const runs = [];
    for (const parallel of [...new Set([10, count])]) {
      resetPaths(hosts, ["/srv/bench-mem"]); // both runs are fresh deploys
      const run = await runChild(fapCommand({ cwd: dir, env, args: ["run", "deploy", "-s", "bench", "--parallel", String(parallel)], probeOut }));
      const missing = aliases.filter((a) => !existsSync(a.host.local(`/srv/bench-mem/${a.alias}/current/REVISION`)));
      const ok = run.code === 0 && missing.length === 0;
      const { maxRssKiB } = JSON.parse(readFileSync(probeOut, "utf8"));
      runs.push({ parallel, ms: Math.round(run.ms), maxRssKiB, ok });
      log(`memory: ${count} hosts --parallel ${parallel}: ${Math.round(run.ms)} ms, peak RSS ${(maxRssKiB / 1024).toFixed(0)} MiB${ok ? "" : ` FAILED (exit ${run.code}, ${missing.length} hosts without current)\n${run.stderr.slice(-2000)}`}`);
    }
    return { hosts: count, sshd: started.sshd, sshdStartMs: started.ms, runs };
  } finally {
    await hosts.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
