import { HOST_STATE_MARK } from "../run/host-state.js";
import { sh } from "./quote.js";
import type { HostPaths } from "../context.js";
import { readLockCommand, takeLockCommand, type LockInfo } from "../lock/lock-commands.js";

type Paths = Pick<HostPaths, "current" | "releases" | "meta">;

/**
 * One round trip that prints `current`'s target, the release directories, the release log and
 * the lock. With `lock`, it first takes the deploy lock (exiting LOCK_HELD_EXIT if another run
 * holds it) and lists, under `made`, the directories it creates for that: the unlock removes
 * them again while they are empty, so a run that fails early leaves nothing behind.
 */
export function inspectCommand(paths: Paths, lock?: LockInfo): string {
  // `test` (a builtin) first: on a host never deployed to, no process is started for nothing.
  const lines = [
    sh`printf '%s\\n' ${HOST_STATE_MARK + "current"}; ! test -L ${paths.current} || readlink ${paths.current} 2>/dev/null || true`,
    sh`printf '%s\\n' ${HOST_STATE_MARK + "releases"}; ! test -d ${paths.releases} || ls -1 ${paths.releases} 2>/dev/null || true`,
    sh`printf '%s\\n' ${HOST_STATE_MARK + "log"}; ! test -f ${paths.meta + "/releases.log"} || cat ${paths.meta + "/releases.log"} 2>/dev/null || true`,
    sh`printf '%s\\n' ${HOST_STATE_MARK + "lock"}; ` + readLockCommand(paths),
  ];
  if (lock === undefined) return lines.join("\n");
  return [
    // "$@" keeps the list too, for takeLockCommand to remove them again if it fails.
    sh`printf '%s\\n' ${HOST_STATE_MARK + "made"}; set --; d=${paths.meta}; while test -n "$d" && ! test -d "$d"; do printf '%s\\n' "$d"; set -- "$@" "$d"; d=\${d%/*}; done`,
    takeLockCommand(paths, lock),
    // The lock is ours now: no need to read it back.
    ...lines.slice(0, -1),
  ].join("\n");
}
