import { sh } from "../shell/quote.js";

/** Exit status of `takeLockCommand` when someone else holds the lock (EX_TEMPFAIL). */
export const LOCK_HELD_EXIT = 75;

export interface LockInfo {
  deploy: string;
  flow: string;
  user: string;
  /** The machine fap ran on, and its pid there. */
  machine: string;
  pid: number;
  time: string;
  /** When the lock is considered stale. */
  expires: string;
}

/**
 * A lock found on a host. Anything at `<meta>/lock` is a lock, since it stops every deploy;
 * `holder` is undefined when its `info` is missing, empty or garbled (an unknown holder).
 */
export interface HeldLock {
  holder: LockInfo | undefined;
}

/** Where a host's lock lives: under `.fap/` (HostPaths.meta). */
interface LockPaths {
  readonly meta: string;
}

const lockDir = (paths: LockPaths) => `${paths.meta}/lock`;

/** A shell test, true when anything (even a dangling symlink) is at the lock's path. */
export function lockExistsTest(paths: LockPaths): string {
  const dir = lockDir(paths);
  return sh`{ test -e ${dir} || test -L ${dir}; }`;
}

/**
 * Takes the app's deploy lock on a host: `mkdir` is atomic, so of two deploys exactly one gets
 * it. The loser prints the holder's info on stderr and exits LOCK_HELD_EXIT. Every step is
 * checked and ends the script on failure (`exit`): the script goes on to read the host, and a
 * failed step must not be followed by a zero exit status. A lock whose `info` cannot be written
 * is removed again, with the directories in "$@" (those the run created for it, deepest first).
 */
export function takeLockCommand(paths: LockPaths, info: LockInfo): string {
  const dir = lockDir(paths);
  const undo = sh`rm -rf ${dir}; rmdir "$@" 2>/dev/null`;
  return [
    sh`{ test -d ${paths.meta} || mkdir -p ${paths.meta}; } || { rmdir "$@" 2>/dev/null; exit 1; }`,
    sh`if mkdir ${dir} 2>/dev/null; then printf '%s\\n' ${JSON.stringify(info)} > ${dir + "/info"} || { ` + `${undo}; exit 1; }; ` +
      // An empty info may be a racing run's, between its mkdir and its write: give it a moment.
      `elif ${lockExistsTest(paths)}; then ${sh`test -s ${dir + "/info"} || sleep 1; cat ${dir + "/info"} >&2 2>/dev/null; exit ${LOCK_HELD_EXIT}`}; ` +
      // Not held, yet mkdir failed: run it again for its message (a read-only file system, say).
      sh`else mkdir ${dir} && rmdir ${dir}; rmdir "$@" 2>/dev/null; exit 1; fi`,
  ].join("\n");
}

/**
 * Frees the lock only if this run holds it: a run refused by the lock must not free another's
 * (nor touch its release). `first` runs before, under the same condition: clean-up of our own.
 * `made` are directories this run created to take the lock, deepest first: those still empty
 * (a first deploy that failed early) are removed with it.
 */
export function releaseLockCommand(paths: LockPaths, deployId: string, first?: string, made: readonly string[] = []): string {
  const dir = lockDir(paths);
  // `read` and `case` are shell builtins: no process for the check.
  const holds = sh`{ IFS= read -r held < ${dir + "/info"}; } 2>/dev/null && case "$held" in *${`"deploy":"${deployId}"`}*) true;; *) false;; esac`;
  const emptied = made.length > 0 ? sh`; rmdir ${made} 2>/dev/null || true` : "";
  return `if ${holds}; then ${first ? `${first}; ` : ""}${sh`rm -rf ${dir}`}${emptied}; fi`;
}

/** Frees the lock whoever holds it, whatever is at its path (`fap unlock`). */
export function breakLockCommand(paths: LockPaths): string {
  return sh`rm -rf ${lockDir(paths)}`;
}

/** Prints LOCK_MARK and the lock's info when anything is at the lock's path; nothing when unlocked. */
export function readLockCommand(paths: LockPaths): string {
  return `if ${lockExistsTest(paths)}; then printf '%s\\n' ${LOCK_MARK}; ${sh`cat ${lockDir(paths) + "/info"} 2>/dev/null`}; fi; true`;
}

/** The line `readLockCommand` prints before the info: the lock exists even if no info follows. */
export const LOCK_MARK = "held";

/** Parses the output of `readLockCommand`: undefined when there is no lock. */
export function parseHeldLock(text: string): HeldLock | undefined {
  const lines = text.split("\n");
  if (lines[0]?.trim() !== LOCK_MARK) return undefined;
  return { holder: parseLockInfo(lines.slice(1).join("\n")) };
}

/** The holder named in a lock's info, or undefined when the info is not a complete one. */
export function parseLockInfo(text: string): LockInfo | undefined {
  const line = text.split("\n").find((l) => l.trim().startsWith("{"));
  if (!line) return undefined;
  try {
    const info: unknown = JSON.parse(line);
    return isLockInfo(info) ? info : undefined;
  } catch {
    return undefined;
  }
}

function isLockInfo(value: unknown): value is LockInfo {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  const texts = ["deploy", "flow", "user", "machine", "time", "expires"].every((k) => typeof v[k] === "string");
  return texts && typeof v.pid === "number";
}

/** Who holds a lock, for messages: "alice@laptop (deploy a5b4d672, pid 4242)" or "an unknown holder". */
export function describeHolder(lock: HeldLock): string {
  const h = lock.holder;
  return h ? `${h.user}@${h.machine} (${h.flow} ${h.deploy}, pid ${h.pid})` : "an unknown holder";
}
