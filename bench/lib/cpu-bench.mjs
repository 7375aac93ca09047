#!/usr/bin/env node
// CPU time, not wall time, of fap's process against the limit with fap's barriers (variant e),
// fresh deploys to the same hosts: on a loaded machine wall-time ratios are noise, a process's
// own user+sys CPU much less so. Several fap checkouts (each with its own `npm run build`) can
// be compared on the same hosts in one run, alternating, so a change is measured against its
// base under the same load. It also reports the CPU each deploy cost the hosts (their sshd,
// shells and git): on one machine that is shared with the deploying process, and a command
// more per host costs it on every host.
//
//   node bench/lib/cpu-bench.mjs --hosts 200 --runs 3 [--fap ROOT,ROOT2,ROOT::--node-flag] [--prof DIR] [--perf DIR] [--no-phased]
//
// --prof DIR: one more run of each fap with `node --cpu-prof` at nice -15 (read it with
//   cpu-profile-top.mjs). --perf DIR: one more run of every variant under `perf record`, which
//   samples only while the process is on a CPU (read it with perf-top.mjs).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { deployYml } from "../variants/fap.mjs";
import { createPhasedLimit } from "../variants/limit.mjs";
import { resetPaths, startHosts } from "./hosts.mjs";
import { ROOT } from "./paths.mjs";
import { makeRepo } from "./repo.mjs";
import { runChild } from "./run-child.mjs";
import { median } from "./stats.mjs";
import { verifyDeployed } from "./verify.mjs";

const KEEP = 3;
const PROBE = path.join(ROOT, "bench/lib/probe.cjs");

function parse(argv) {
  const options = { hosts: 200, runs: 3, faps: [{ root: ROOT, flags: [] }], prof: undefined, phased: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--hosts") options.hosts = Number(argv[++i]);
    else if (flag === "--runs") options.runs = Number(argv[++i]);
    // ROOT, or ROOT::FLAG;FLAG for node flags of that variant only (same checkout, other flags).
    else if (flag === "--fap") options.faps = argv[++i].split(",").map((p) => p.split("::")).map(([root, flags]) => ({ root: path.resolve(root), flags: flags ? flags.split(";") : [] }));
    else if (flag === "--prof") options.prof = path.resolve(argv[++i]);
    else if (flag === "--perf") options.perf = path.resolve(argv[++i]);
    else if (flag === "--no-phased") options.phased = false;
    else throw new Error(`unknown option ${flag}`);
  }
  return options;
}

/** fap from the checkout at `root`: its own CLI, core and git plugin. */
function fapFrom({ root, flags }, index, { work, hosts, repo }) {
  const name = `fap${index}`;
  const deployPath = `/srv/bench-${name}`;
  const dir = path.join(work, name);
  mkdirSync(path.join(dir, "node_modules/@fap"), { recursive: true });
  for (const pkg of ["plugin-git", "core"]) symlinkSync(path.join(root, "packages", pkg), path.join(dir, "node_modules/@fap", pkg));
  writeFileSync(
    path.join(dir, "deploy.yml"),
    deployYml({ repo, deployPath, keep: KEEP, hosts: hosts.hosts.map((h) => h.alias), parallel: hosts.hosts.length }),
  );
  const probeOut = path.join(work, `${name}-probe.json`);
  return {
    name: `${name} (${[root, ...flags].join(" ")})`,
    deployPath,
    probeOut,
    command: ({ prof } = {}) => ({
      cmd: process.execPath,
      args: [...flags, ...(prof ? ["--cpu-prof", `--cpu-prof-dir=${prof}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`] : []), "--require", PROBE, path.join(root, "packages/cli/bin/fap.js"), "run", "deploy", "-s", "bench"],
      cwd: dir,
      env: { ...process.env, ...hosts.env, NO_COLOR: "1", BENCH_PROBE_OUT: probeOut },
    }),
  };
}

const options = parse(process.argv.slice(2));
const work = mkdtempSync(path.join(os.tmpdir(), "fap-cpu-bench-"));
const repo = makeRepo(work);
const { hosts, ms } = await startHosts(options.hosts);
console.log(`${options.hosts} sshd up in ${ms} ms`);
const setup = { work, hosts, repo, keep: KEEP };
const variants = [...options.faps.map((fap, i) => fapFrom(fap, i, setup)), ...(options.phased ? [createPhasedLimit(setup)] : [])];
const cpu = Object.fromEntries(variants.map((v) => [v.name, []]));
const hostCpu = Object.fromEntries(variants.map((v) => [v.name, []]));

/**
 * CPU (user + system, ms) of every process the hosts' sshd have waited for so far: each
 * connection's sshd is reaped by its host's listener when it ends, and waits for its own
 * shells, which wait for their git. /proc/PID/stat fields 16 and 17, in clock ticks (100 a second).
 */
function hostsChildCpuMs() {
  let ticks = 0;
  for (const host of hosts.hosts) {
    const stat = readFileSync(`/proc/${host.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(fields[13]) + Number(fields[14]);
  }
  return ticks * 10;
}

/** Waits until the hosts' listeners have reaped the connections fap just closed (their count stops moving). */
async function settledHostsCpuMs() {
  let last = hostsChildCpuMs();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    const now = hostsChildCpuMs();
    if (now === last) return now;
    last = now;
  }
}

/**
 * The command run under `perf record` when `dir` is set: it samples only while the process is on
 * a CPU (V8's --cpu-prof samples wall time, so on a loaded machine a write that wakes sshd and
 * gets the process preempted looks like its work). JavaScript frames named by --perf-basic-prof.
 */
function underPerf(command, dir, name) {
  if (!dir) return command;
  const out = path.join(dir, `${name.split(" ")[0]}-${Date.now()}.perf.data`);
  return {
    ...command,
    cmd: "perf",
    args: ["record", "-q", "-e", "cpu-clock", "-F", "997", "-g", "-o", out, "--", command.cmd, "--perf-basic-prof", "--interpreted-frames-native-stack", ...command.args],
  };
}

async function once(v, label, extra) {
  resetPaths(hosts, [v.deployPath]);
  rmSync(v.probeOut, { force: true });
  const hostsBefore = await settledHostsCpuMs();
  const run = await runChild(underPerf(v.command(extra), extra?.perf, v.name));
  const hostsMs = (await settledHostsCpuMs()) - hostsBefore;
  const problems = run.code === 0 ? verifyDeployed(hosts, v.deployPath, repo, KEEP) : [`exit ${run.code}: ${run.stderr.slice(-800)}`];
  const probe = JSON.parse(readFileSync(v.probeOut, "utf8"));
  console.log(`${label.padEnd(5)} ${v.name.padEnd(60)} wall ${String(Math.round(run.ms)).padStart(6)} ms  cpu ${String(probe.cpuMs).padStart(6)} ms (user ${probe.userMs}, sys ${probe.sysMs})  hosts' cpu ${String(hostsMs).padStart(6)} ms  rss ${Math.round(probe.maxRssKiB / 1024)} MiB  load ${os.loadavg()[0].toFixed(1)}${problems.length ? `  FAILED ${problems.slice(0, 2).join("; ")}` : ""}`);
  return problems.length ? undefined : { ms: probe.cpuMs, hostsMs };
}

try {
  for (const v of variants) await once(v, "warm");
  for (let round = 1; round <= options.runs; round++) {
    for (const v of variants) {
      const measured = await once(v, `r${round}`);
      if (measured === undefined) continue;
      cpu[v.name].push(measured.ms);
      hostCpu[v.name].push(measured.hostsMs);
    }
  }
  if (options.prof) {
    mkdirSync(options.prof, { recursive: true });
    // At a high priority: V8's profiler samples wall time, and every write that wakes an sshd
    // would otherwise get fap preempted there and look like fap's own work.
    const favoured = (v) => ({ ...v, command: (extra) => ({ ...v.command(extra), cmd: "nice", args: ["-n", "-15", v.command(extra).cmd, ...v.command(extra).args] }) });
    for (const v of variants.filter((v) => v.name.startsWith("fap"))) await once(favoured(v), "prof", { prof: options.prof });
  }
  if (options.perf) {
    mkdirSync(options.perf, { recursive: true });
    for (const v of variants) await once(v, "perf", { perf: options.perf });
  }
  console.log(`\nmedian CPU (user+sys) of ${options.runs} fresh deploys to ${options.hosts} hosts:`);
  for (const [name, list] of Object.entries(cpu)) console.log(`  ${name.padEnd(60)} ${median(list)} ms  [${list.join(", ")}]`);
  console.log(`median CPU the same deploys cost the hosts (sshd, shells, git):`);
  for (const [name, list] of Object.entries(hostCpu)) console.log(`  ${name.padEnd(60)} ${median(list)} ms  [${list.join(", ")}]`);
} finally {
  await hosts.stop();
  rmSync(work, { recursive: true, force: true });
}
