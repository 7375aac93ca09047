import { access, constants, readFile } from "node:fs/promises";
import { TEST_CGROUP_PARENT } from "./_cgroup.js";
import { checkTestHostSupport } from "./check-support.js";

/** The programs hostSystemd() starts, by Debian's paths. */
const DAEMONS = ["/lib/systemd/systemd", "/lib/systemd/systemd-journald"];

/**
 * Resolves if hostSystemd() can run here; otherwise rejects with a plain one-line Error naming
 * the missing piece, so a suite can skip itself with a useful reason.
 */
export async function checkHostSystemdSupport(): Promise<void> {
  await checkTestHostSupport();
  for (const daemon of DAEMONS) {
    try {
      await access(daemon, constants.X_OK);
    } catch {
      throw new Error(`a test host's systemd needs ${daemon}, which is not installed (apt-get install systemd)`);
    }
  }
  // The test's cgroup is made in the machine's name=systemd v1 hierarchy (a hybrid or legacy layout).
  const mounts = await readFile("/proc/self/mounts", "utf8");
  const hierarchy = mounts.split("\n").find((line) => line.split(" ")[1] === TEST_CGROUP_PARENT);
  if (!hierarchy || !/(^|,)name=systemd(,|$)/.test(hierarchy.split(" ")[3] ?? "")) {
    throw new Error(`a test host's systemd needs the cgroup v1 name=systemd hierarchy mounted at ${TEST_CGROUP_PARENT}; this machine has none`);
  }
}
