import { HOST_STATE_MARK } from "../run/host-state.js";
import { sh } from "./quote.js";
import type { HostPaths } from "../context.js";
import { readLockCommand, takeLockCommand, type LockInfo } from "../lock/lock-commands.js";

type Paths = Pick<HostPaths, "current" | "releases" | "meta">;

/**
 * The release log's last lines a run reads whichever release they name. The log grows ~3 lines
 * a deploy for good; a run needs the lines of the releases still on the host (their status and
 * what they recorded, however old) and the ids of the latest ones, which a new release id must
 * not repeat (see hostContexts).
 */
const RECENT_LOG_LINES = 100;

/**
 * Prints the log's lines that name a release given on stdin (one a line, as an id or as the
 * path `current` points to, up to the line `::fap::ids-end`), then its last RECENT_LOG_LINES
 * lines (`k`) not printed yet. fap writes the lines with JSON.stringify: an id is always
 * `"id":"<id>"`.
 */
const LOG_FILTER = `!ids { if ($0 == "::fap::ids-end") ids = 1; else { sub(/\\/+$/, ""); sub(/.*\\//, ""); if ($0 != "") want[$0] = 1 }; next }
{ id = ""; if (match($0, /"id":"[^"]*"/)) id = substr($0, RSTART + 6, RLENGTH - 7); shown = (id in want); if (shown) print
  n++; line[n % k] = $0; done[n % k] = shown }
END { for (i = (n > k ? n - k + 1 : 1); i <= n; i++) if (!done[i % k]) print line[i % k] }`;

/**
 * One round trip that prints `current`'s target, the release directories, the release log (the
 * lines that matter: LOG_FILTER; all of it if awk fails) and the lock. With `lock`, it first
 * takes the deploy lock (exiting LOCK_HELD_EXIT if another run holds it) and lists, under
 * `made`, the directories it creates for that: the unlock removes them again while they are
 * empty, so a run that fails early leaves nothing behind.
 */
export function inspectCommand(paths: Paths, lock?: LockInfo): string {
  // `test` (a builtin) first: on a host never deployed to, no process is started for nothing.
  const log = `${paths.meta}/releases.log`;
  const lines = [
    // Kept in variables as well, for the log's filter.
    sh`printf '%s\\n' ${HOST_STATE_MARK + "current"}; fap_current=; ! test -L ${paths.current} || fap_current=$(readlink ${paths.current} 2>/dev/null) || true; test -z "$fap_current" || printf '%s\\n' "$fap_current"`,
    sh`printf '%s\\n' ${HOST_STATE_MARK + "releases"}; fap_releases=; ! test -d ${paths.releases} || fap_releases=$(ls -1 ${paths.releases} 2>/dev/null) || true; test -z "$fap_releases" || printf '%s\\n' "$fap_releases"`,
    sh`printf '%s\\n' ${HOST_STATE_MARK + "log"}; ! test -f ${log} || { printf '%s\\n' "$fap_releases" "$fap_current" ::fap::ids-end | awk -v k=${RECENT_LOG_LINES} ${LOG_FILTER} - ${log} 2>/dev/null || cat ${log} 2>/dev/null; } || true`,
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
