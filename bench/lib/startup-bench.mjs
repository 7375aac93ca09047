// Start-up: `node -e 0` (the floor), `fap --version`, `fap --help`, and `fap run deploy --dry-run`
// with a deploy.config.ts (and, for comparison, a deploy.yml), alternating, against one host
// (a dry run still connects and reads the host, so its commands are exact).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { deployYml, fapCommand, fapProject } from "../variants/fap.mjs";
import { startHosts } from "./hosts.mjs";
import { makeRepo } from "./repo.mjs";
import { measureRoundTrips } from "./round-trip-cost.mjs";
import { runChild } from "./run-child.mjs";
import { summarize } from "./stats.mjs";

function deployConfigTs({ repo, deployPath, hosts }) {
  return `import { defineConfig } from "@fap/core";
import git from "@fap/plugin-git";

export default defineConfig({
  plugins: [git({ repo: ${JSON.stringify(repo.bare)}, branch: ${JSON.stringify(repo.branch)} })],
  path: ${JSON.stringify(deployPath)},
  keep_releases: 3,
  stage_role_configs: { bench: { app: { hosts: ${JSON.stringify(hosts)} } } },
});
`;
}

export async function benchStartup({ runs, log }) {
  const work = mkdtempSync(path.join(os.tmpdir(), "fap-bench-startup-"));
  const repo = makeRepo(work);
  const { hosts } = await startHosts(1);
  try {
    const settings = { repo, deployPath: "/srv/bench-dry", keep: 3, hosts: [hosts.hosts[0].alias], parallel: 1 };
    const tsDir = fapProject(path.join(work, "ts"), { "deploy.config.ts": deployConfigTs(settings) });
    const ymlDir = fapProject(path.join(work, "yml"), { "deploy.yml": deployYml(settings) });
    const env = { ...process.env, ...hosts.env };
    const probeOut = path.join(work, "probe.json");
    const dryRun = ["run", "deploy", "-s", "bench", "--dry-run"];
    const plain = (c) => ({ ...c, args: c.args.filter((a, i) => !(a === "--require" || c.args[i - 1] === "--require")) });
    const cases = {
      "node -e 0": { cmd: process.execPath, args: ["-e", "0"], env },
      "fap --version": plain(fapCommand({ cwd: work, env, args: ["--version"], probeOut })),
      "fap --help": plain(fapCommand({ cwd: work, env, args: ["--help"], probeOut })),
      "fap run deploy --dry-run (deploy.config.ts)": plain(fapCommand({ cwd: tsDir, env, args: dryRun, probeOut })),
      "fap run deploy --dry-run (deploy.yml)": plain(fapCommand({ cwd: ymlDir, env, args: dryRun, probeOut })),
    };
    const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
    for (let round = -1; round < runs; round++) {
      for (const [name, command] of Object.entries(cases)) {
        const run = await runChild(command);
        if (run.code !== 0) throw new Error(`${name} exited ${run.code}:\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`);
        if (round >= 0) times[name].push(Math.round(run.ms));
      }
    }
    const result = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, summarize(v)]));
    for (const [k, v] of Object.entries(result)) log(`startup ${k}: median ${v.median} ms`);
    const roundTrip = await measureRoundTrips(hosts.hosts[0], hosts.identityFile);
    log(`ssh2 connect ${roundTrip.connectMs.median} ms; exec \`true\` ${roundTrip.execMs.true.median} ms; exec \`git --version\` ${roundTrip.execMs["git --version"].median} ms`);
    return { commands: result, roundTrip };
  } finally {
    await hosts.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
