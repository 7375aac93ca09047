// Output: one command printing 100 MB (issue 12), through `fap once` and through OpenSSH
// (`ssh host CMD > /dev/null`), both writing to /dev/null: wall time and peak RSS. Twice: in
// lines of 100 bytes (a million output events) and as one line without a newline (what once
// took fap quadratic time and all of it in memory).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { FAP_BIN, fapProject } from "../variants/fap.mjs";
import { startHosts } from "./hosts.mjs";
import { runChild } from "./run-child.mjs";
import { summarize } from "./stats.mjs";

const TIME = "/usr/bin/time";

/** `argv` with stdout to /dev/null, under /usr/bin/time when there is one: { ms, code, maxRssKiB }. */
async function measured(argv, { cwd, env, work }) {
  const rssFile = path.join(work, "rss");
  rmSync(rssFile, { force: true });
  const timed = existsSync(TIME) ? [TIME, "-f", "%M", "-o", rssFile, ...argv] : argv;
  const run = await runChild({ cmd: "sh", args: ["-c", 'exec "$@" > /dev/null', "sh", ...timed], cwd, env });
  const maxRssKiB = existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8").trim().split("\n").pop()) : NaN;
  return { ms: run.ms, code: run.code, maxRssKiB, stderr: run.stderr };
}

export async function benchOutput({ mb, runs, log }) {
  const work = mkdtempSync(path.join(os.tmpdir(), "fap-bench-out-"));
  const { hosts } = await startHosts(1);
  try {
    const host = hosts.hosts[0];
    await host.exec("mkdir -p /srv/bench-out/releases/1 && ln -sfn releases/1 /srv/bench-out/current");
    const dir = fapProject(path.join(work, "project"), {
      "deploy.yml": `path: /srv/bench-out\nstage_role_configs:\n  bench:\n    app:\n      hosts: [${host.alias}]\n`,
    });
    const env = { ...process.env, ...hosts.env, NO_COLOR: "1" };
    // OpenSSH reads the passwd entry's home, not $HOME: name the test hosts' config.
    const sshConfig = path.join(hosts.env.HOME, ".ssh/config");
    const shapes = {
      lines: `head -c ${mb}000000 /dev/zero | tr '\\0' x | fold -w 99`,
      "one line": `head -c ${mb}000000 /dev/zero | tr '\\0' x`,
    };
    const variants = {
      fap: (command) => [process.execPath, FAP_BIN, "once", "-s", "bench", "-c", command],
      ssh: (command) => ["ssh", "-F", sshConfig, host.alias, command],
    };
    const result = { mb, runs, shapes: {} };
    for (const [shape, command] of Object.entries(shapes)) {
      const samples = { fap: [], ssh: [] };
      for (let round = 0; round <= runs; round++) {
        for (const [name, argv] of Object.entries(variants)) {
          const run = await measured(argv(command), { cwd: dir, env, work });
          if (run.code !== 0) throw new Error(`output bench: ${name} (${shape}) exited ${run.code}\n${run.stderr.slice(-2000)}`);
          if (round > 0) samples[name].push(run); // round 0 warms up
        }
      }
      result.shapes[shape] = Object.fromEntries(
        Object.entries(samples).map(([name, list]) => [name, { ms: summarize(list.map((r) => Math.round(r.ms))), maxRssKiB: Math.max(...list.map((r) => r.maxRssKiB)) }]),
      );
      const f = result.shapes[shape];
      log(`output ${mb} MB (${shape}): fap ${Math.round(f.fap.ms.median)} ms, ${(f.fap.maxRssKiB / 1024).toFixed(0)} MiB; ssh ${Math.round(f.ssh.ms.median)} ms, ${(f.ssh.maxRssKiB / 1024).toFixed(0)} MiB`);
    }
    return result;
  } finally {
    await hosts.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
