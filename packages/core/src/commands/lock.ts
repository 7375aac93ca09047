import type { HostPaths } from "../context.js";
import { sh } from "../quote.js";

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

const lockDir = (paths: Pick<HostPaths, "meta">) => `${paths.meta}/lock`;

/**
 * Takes the app's deploy lock on a host: `mkdir` is atomic, so of two deploys exactly one gets
 * it. The loser prints the holder's info on stderr and exits LOCK_HELD_EXIT.
 */
export function takeLockCommand(paths: Pick<HostPaths, "meta">, info: LockInfo): string {
  const dir = lockDir(paths);
  return [
    sh`{ test -d ${paths.meta} || mkdir -p ${paths.meta}; }`,
    sh`if mkdir ${dir} 2>/dev/null; then printf '%s\\n' ${JSON.stringify(info)} > ${dir + "/info"}; ` +
      sh`else cat ${dir + "/info"} >&2 2>/dev/null; exit ${LOCK_HELD_EXIT}; fi`,
  ].join(" && ");
}

/**
 * Frees the lock only if this run holds it: a run refused by the lock must not free another's
 * (nor touch its release). `first` runs before, under the same condition: clean-up of our own.
 * `made` are directories this run created to take the lock, deepest first: those still empty
 * (a first deploy that failed early) are removed with it.
 */
export function releaseLockCommand(paths: Pick<HostPaths, "meta">, deployId: string, first?: string, made: readonly string[] = []): string {
  const dir = lockDir(paths);
  // `read` and `case` are shell builtins: no process for the check.
  const holds = sh`{ IFS= read -r held < ${dir + "/info"}; } 2>/dev/null && case "$held" in *${`"deploy":"${deployId}"`}*) true;; *) false;; esac`;
  const emptied = made.length > 0 ? sh`; rmdir ${made} 2>/dev/null || true` : "";
  return `if ${holds}; then ${first ? `${first}; ` : ""}${sh`rm -rf ${dir}`}${emptied}; fi`;
}

/** Frees the lock whoever holds it (`fap unlock`). */
export function breakLockCommand(paths: Pick<HostPaths, "meta">): string {
  return sh`rm -rf ${lockDir(paths)}`;
}

/** Prints the lock's info, or nothing when unlocked. */
export function readLockCommand(paths: Pick<HostPaths, "meta">): string {
  return sh`cat ${lockDir(paths) + "/info"} 2>/dev/null || true`;
}

export function parseLockInfo(text: string): LockInfo | undefined {
  const line = text.split("\n").find((l) => l.trim().startsWith("{"));
  if (!line) return undefined;
  try {
    return JSON.parse(line) as LockInfo;
  } catch {
    return undefined;
  }
}
