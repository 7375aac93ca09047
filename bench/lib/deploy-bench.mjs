// One host count: fresh deploys, then redeploys, alternating variants (a b c d a b c d ...).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { VARIANTS } from "../variants/index.mjs";
import { countVerboseCommands, parsePhases, summarizeChannels } from "./fap-output.mjs";
import { resetPaths, startHosts } from "./hosts.mjs";
import { machineBusyMs } from "./machine-cpu.mjs";
import { makeRepo } from "./repo.mjs";
import { runChild } from "./run-child.mjs";
import { verifyDeployed } from "./verify.mjs";

const KEEP = 3;

export async function benchHostCount(count, { runs, variants: names, log }) {
  const work = mkdtempSync(path.join(os.tmpdir(), "fap-bench-"));
  const repo = makeRepo(work);
  const { hosts, ms: hostsStartMs } = await startHosts(count);
  log(`H=${count}: ${count} sshd up in ${hostsStartMs} ms`);
  const variants = names.map((name) => VARIANTS[name]({ work, hosts, repo, keep: KEEP }));
  const fap = variants.find((v) => v.name === "fap");
  const reset = (v) => resetPaths(hosts, [v.deployPath, ...(v.extraPaths ?? [])]);
  const result = { hosts: count, hostsStartMs, loadBefore: os.loadavg(), fresh: {}, redeploy: {}, roundTrips: {} };

  async function once(v, kind, label, { count: countChannels = false } = {}) {
    if (v.probeOut) rmSync(v.probeOut, { force: true }); // never read a previous run's figures
    const busyBefore = machineBusyMs();
    const run = await runChild(v.command({ count: countChannels }));
    const busyAfter = machineBusyMs();
    const problems = run.code === 0 ? verifyDeployed(hosts, v.deployPath, repo, KEEP) : [`exit ${run.code}`];
    const record = { ms: Math.round(run.ms), ok: problems.length === 0 };
    const probe = v.probeOut && existsSync(v.probeOut) ? JSON.parse(readFileSync(v.probeOut, "utf8")) : {};
    // CPU of the tool's own process: near its wall time means its one thread is what limits it.
    if (probe.cpuMs !== undefined) record.cpuMs = probe.cpuMs;
    // Every process's CPU in that time: the hosts' work as much as the tool's.
    if (busyBefore !== undefined && busyAfter !== undefined) record.machineCpuMs = busyAfter - busyBefore;
    if (v.name === "fap") {
      record.maxRssKiB = probe.maxRssKiB;
      record.phasesMs = parsePhases(run.stdout);
      const channels = countChannels ? summarizeChannels(probe) : undefined;
      if (channels) record.roundTrips = { ...channels, verboseCommandLines: countVerboseCommands(run.stdout) };
    }
    if (!record.ok) {
      record.problems = problems;
      record.outputTail = `${run.stdout.slice(-1500)}\n${run.stderr.slice(-1500)}`;
      log(`  FAILED ${v.name} ${kind}: ${problems.slice(0, 3).join("; ")}\n${record.outputTail}`);
      reset(v); // e.g. Shipit refuses hosts whose `current` differ
    }
    log(`H=${count} ${kind.padEnd(8)} ${label.padEnd(6)} ${v.name.padEnd(10)} ${String(record.ms).padStart(6)} ms${record.ok ? "" : " FAILED"}`);
    return record;
  }

  async function rounds(kind, warmups, before) {
    for (const v of variants) result[kind][v.name] = [];
    for (let round = -warmups; round < runs; round++) {
      if (round === 0 && fap && kind === "redeploy") {
        // An extra, untimed fap run with -v and channel counting, in steady state (it prunes one).
        result.roundTrips.redeploy = (await once(fap, kind, "count", { count: true })).roundTrips;
      }
      for (const v of variants) {
        before?.(v);
        const counting = kind === "fresh" && v.name === "fap" && round === -warmups;
        const record = await once(v, kind, round < 0 ? "warm" : `r${round + 1}`, { count: counting });
        if (counting) result.roundTrips.fresh = record.roundTrips;
        if (round >= 0) result[kind][v.name].push(record);
      }
    }
  }

  const loads = [];
  const sampler = setInterval(() => loads.push(os.loadavg()[0]), 5000);
  try {
    await rounds("fresh", 1, reset);
    // Two warm-ups take each deploy path to keep_releases releases: from then on every redeploy prunes one.
    await rounds("redeploy", 2);
  } finally {
    clearInterval(sampler);
    if (loads.length) {
      result.loadDuring = { min: Math.min(...loads), max: Math.max(...loads), mean: loads.reduce((a, b) => a + b, 0) / loads.length, samples: loads.length };
    }
    result.loadAfter = os.loadavg();
    await hosts.stop();
    rmSync(work, { recursive: true, force: true });
  }
  return result;
}
