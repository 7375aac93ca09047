// The machine's CPU time so far, all cores, from /proc/stat (Linux): what every process used,
// the hosts' sshd, shells and git as much as the deploying tool. Around a run, the difference
// says how much of the machine the run took, and whether the machine itself was the limit.
import { readFileSync } from "node:fs";

const TICK_MS = 10; // USER_HZ is 100 on every Linux architecture Node supports

/** Busy milliseconds of all cores since boot (undefined where /proc/stat cannot be read). */
export function machineBusyMs() {
  let line;
  try {
    line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0];
  } catch {
    return undefined;
  }
  // cpu user nice system idle iowait irq softirq steal ...: idle and iowait are not busy.
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  if (ticks.length < 5 || ticks.some((t) => !Number.isFinite(t))) return undefined;
  return (ticks.reduce((a, b) => a + b, 0) - ticks[3] - ticks[4]) * TICK_MS;
}

/** The share of `cpus` cores busy over `wallMs`, given the busy milliseconds in it. */
export function busyShare(busyMs, wallMs, cpus) {
  return busyMs / (wallMs * cpus);
}
