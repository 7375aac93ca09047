import { requireBinary } from "./_binaries.js";
import { run } from "./_run.js";

let checked: Promise<void> | undefined;

/**
 * Resolves if this machine can run test hosts; otherwise rejects with a plain Error whose one-line
 * message names the missing piece, so a test suite can skip itself with a useful reason.
 */
export function checkTestHostSupport(): Promise<void> {
  checked ??= check().catch((error: unknown) => {
    // Not cached: the developer may install the missing piece and retry in the same process.
    checked = undefined;
    throw error;
  });
  return checked;
}

async function check(): Promise<void> {
  if (process.platform !== "linux") throw new Error(`test hosts need Linux (mount namespaces); this is ${process.platform}`);
  const uid = process.getuid?.();
  if (uid !== 0) throw new Error(`test hosts need root (to mount in a private namespace); running as uid ${uid}`);
  await requireBinary("sshd", "openssh-server");
  await requireBinary("ssh-keygen", "openssh-client");
  const unshare = await requireBinary("unshare", "util-linux");
  await requireBinary("nsenter", "util-linux");
  await requireBinary("setpriv", "util-linux");
  // Root inside an unprivileged container may still lack CAP_SYS_ADMIN.
  const probe = await run(unshare, ["-m", "--propagation", "private", "true"]);
  if (probe.exitCode !== 0) {
    const reason = probe.stderr.trim().split("\n")[0] ?? "";
    throw new Error(`test hosts need mount namespaces, but unshare -m failed: ${reason || `exit ${probe.exitCode}`}`);
  }
}
