// (a) fap with the git plugin: the real binary, a deploy.yml the bench writes, the test hosts' HOME.
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../lib/paths.mjs";

export const FAP_BIN = path.join(ROOT, "packages/cli/bin/fap.js");
const PROBE = path.join(ROOT, "bench/lib/probe.cjs");

/** A project dir as a user has it after `npm install @fap/cli @fap/plugin-git`. */
export function fapProject(dir, files) {
  mkdirSync(path.join(dir, "node_modules/@fap"), { recursive: true });
  for (const pkg of ["plugin-git", "core"]) symlinkSync(path.join(ROOT, "packages", pkg), path.join(dir, "node_modules/@fap", pkg));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

export function deployYml({ repo, deployPath, keep, hosts, parallel }) {
  return [
    "plugins: [fapistrano.git]",
    `repo: ${JSON.stringify(repo.bare)}`,
    `branch: ${repo.branch}`,
    `path: ${JSON.stringify(deployPath)}`,
    `keep_releases: ${keep}`,
    `parallel: ${parallel}`,
    "stage_role_configs:",
    "  bench:",
    "    app:",
    `      hosts: [${hosts.join(", ")}]`,
    "",
  ].join("\n");
}

/** Node running fap with the probe preloaded: peak RSS always, SSH channels per host when `count`. */
export function fapCommand({ cwd, env, args, probeOut, count = false }) {
  return {
    cmd: process.execPath,
    args: ["--require", PROBE, FAP_BIN, ...args],
    cwd,
    env: { ...env, NO_COLOR: "1", BENCH_PROBE_OUT: probeOut, ...(count ? { BENCH_COUNT_CHANNELS: "1" } : {}) },
  };
}

export function createFap({ work, hosts, repo, keep }) {
  const deployPath = "/srv/bench-fap";
  const dir = fapProject(path.join(work, "fap"), {
    "deploy.yml": deployYml({ repo, deployPath, keep, hosts: hosts.hosts.map((h) => h.alias), parallel: hosts.hosts.length }),
  });
  const probeOut = path.join(work, "fap-probe.json");
  return {
    name: "fap",
    deployPath,
    probeOut,
    command: ({ count = false } = {}) =>
      fapCommand({ cwd: dir, env: { ...process.env, ...hosts.env }, args: ["run", "deploy", "-s", "bench", ...(count ? ["-v"] : [])], probeOut, count }),
  };
}
