import { existsSync, readFileSync, readdirSync, rmdirSync } from "node:fs";
import { join } from "node:path";

/** The machine's name=systemd (cgroup v1) hierarchy, where a test's own cgroup is made. */
export const TEST_CGROUP_PARENT = "/sys/fs/cgroup/systemd";

const ATTEMPTS = 100;
const PAUSE_MS = 50;

/** SIGKILLs every process in `cgroup` and below until none is left, then removes its directories. */
export async function removeCgroup(cgroup: string): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (tryRemove(cgroup)) return;
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  }
  throw new Error(`cannot remove the test's cgroup ${cgroup}: processes ${processesIn(cgroup).join(", ") || "none"} remain`);
}

/** removeCgroup() for an exiting process, where nothing can be awaited. */
export function removeCgroupNow(cgroup: string): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (tryRemove(cgroup)) return;
    Atomics.wait(pause, 0, 0, PAUSE_MS);
  }
}

/** Whether `pid` lives in `cgroup` (or below), i.e. is one of the test's own processes. */
export function isIn(cgroup: string, pid: number): boolean {
  return processesIn(cgroup).includes(pid);
}

function tryRemove(cgroup: string): boolean {
  if (!existsSync(cgroup)) return true;
  const pids = processesIn(cgroup);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // exited since the scan
    }
  }
  if (pids.length > 0) return false;
  try {
    for (const dir of directoriesDeepestFirst(cgroup)) rmdirSync(dir);
    return true;
  } catch {
    // a process was still leaving (EBUSY); the next attempt finds the rest
    return false;
  }
}

function processesIn(cgroup: string): number[] {
  const pids: number[] = [];
  for (const dir of directoriesDeepestFirst(cgroup)) {
    try {
      for (const line of readFileSync(join(dir, "cgroup.procs"), "utf8").split("\n")) if (line) pids.push(Number(line));
    } catch {
      // removed meanwhile
    }
  }
  return pids;
}

function directoriesDeepestFirst(dir: string): string[] {
  let children: string[] = [];
  try {
    children = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(dir, entry.name));
  } catch {
    return [];
  }
  return [...children.flatMap(directoriesDeepestFirst), dir];
}
