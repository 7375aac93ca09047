import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isIn, removeCgroup, removeCgroupNow, TEST_CGROUP_PARENT } from "./_cgroup.js";
import { track, untrack } from "./_live.js";
import { shellWord } from "./_shell-word.js";
import { ENTER_CGROUP_SCRIPT, JOURNALD_CONF, START_SCRIPT, UNMOUNT_SCRIPT } from "./_systemd-scripts.js";
import { checkHostSystemdSupport } from "./check-systemd-support.js";
import type { ExecResult } from "@fap/core";
import type { TestHost, TestHosts } from "./types.js";

export interface HostSystemd {
  /** What a session needs to reach the user manager: XDG_RUNTIME_DIR and DBUS_SESSION_BUS_ADDRESS. */
  readonly env: Readonly<Record<string, string>>;
  /** A unit directory only this host sees (a tmpfs): /run/systemd/user. */
  readonly unitDir: string;
  /** host.exec() with `env` exported first, e.g. for `systemctl --user` and `journalctl`. */
  exec(command: string): Promise<ExecResult>;
  /** Stops the manager (its units with it) and journald, unmounts, removes the test's cgroup. Idempotent. */
  stop(): Promise<void>;
}

const RUNTIME_DIR = "/run/user/0";
const ENV = { XDG_RUNTIME_DIR: RUNTIME_DIR, DBUS_SESSION_BUS_ADDRESS: `unix:path=${RUNTIME_DIR}/bus` } as const;

/**
 * Starts a real `systemd --user` (and a systemd-journald for its units' output) inside a running
 * test host, so that sessions on that host (over ssh or exec()) can run `systemctl --user` and
 * `journalctl --user-unit`. Nothing of the machine's own systemd is used or changed: the daemons
 * run in a cgroup namespace rooted at a new cgroup of the test's own, their mounts (tmpfs on
 * /run/user, /run/systemd, /run/log, /var/log/journal, /sys/fs/cgroup) exist in the host's mount
 * namespace only, and stop() (or the end of the test process) kills every process in that cgroup
 * and removes it. The manager runs as root with HOME at the host's mount point.
 */
export async function hostSystemd(hosts: TestHosts, host: TestHost): Promise<HostSystemd> {
  await checkHostSystemdSupport();
  const name = `fap-test-systemd-${process.pid}-${randomBytes(4).toString("hex")}`;
  const cgroup = join(TEST_CGROUP_PARENT, name);
  const dir = join(hosts.dir, `${host.alias}-systemd`);
  await mkdir(dir, { recursive: true });
  const conf = join(dir, "journald.conf");
  await writeFile(conf, JOURNALD_CONF);

  // A test process that dies without stop() still leaves no process or cgroup behind.
  const leftover = { kill: () => removeCgroupNow(cgroup) };
  track(leftover);
  const words = [ENTER_CGROUP_SCRIPT, "sh", START_SCRIPT, cgroup, dir, conf, host.mountPoint].map(shellWord);
  const started = await host.exec(`sh -c ${words.join(" ")}`);
  const pids = parsePids(started.stdout);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // The manager first: it stops its units, whose last lines journald still takes in.
      if (pids.manager) await terminate(cgroup, pids.manager);
      if (pids.journald) await terminate(cgroup, pids.journald);
      if (host.running) await host.exec(UNMOUNT_SCRIPT);
      await removeCgroup(cgroup);
      untrack(leftover);
    })());
  if (started.exitCode !== 0) {
    await stop();
    throw new Error(`${host.alias}: systemd --user did not start: ${(started.stderr.trim() || started.stdout.trim()).split("\n").join(" / ")}`);
  }
  const exports = Object.entries(ENV).map(([key, value]) => `export ${key}=${shellWord(value)}`).join("; ");
  return {
    env: ENV,
    unitDir: "/run/systemd/user",
    exec: (command) => host.exec(`${exports}; ${command}`),
    stop,
  };
}

function parsePids(stdout: string): { journald?: number; manager?: number } {
  const pid = (label: string) => {
    const match = new RegExp(`^${label} (\\d+)$`, "m").exec(stdout);
    return match ? Number(match[1]) : undefined;
  };
  const found: { journald?: number; manager?: number } = {};
  const journald = pid("journald");
  const manager = pid("manager");
  if (journald !== undefined) found.journald = journald;
  if (manager !== undefined) found.manager = manager;
  return found;
}

/**
 * SIGTERM, then up to 5 s for a clean exit; whatever is left goes with the cgroup. Only a process
 * still in the test's cgroup is signalled: after the host was stopped, the pid may be another's.
 */
async function terminate(cgroup: string, pid: number): Promise<void> {
  if (!isIn(cgroup, pid)) return;
  process.kill(pid, "SIGTERM");
  // An exited process leaves its cgroup even before it is reaped.
  for (let waited = 0; waited < 5_000 && isIn(cgroup, pid); waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
}
