import { parseHeldLock, type HeldLock } from "../lock/lock-commands.js";
import { compareReleaseIds } from "../release/release-id.js";
import { parseReleaseLog, type ReleaseLogEntry, type ReleaseStatus } from "../release/release-log.js";

/** What a host holds before a run: read in one round trip (see `inspectCommand`). */
export interface HostState {
  /** Release id `current` points to, if any. */
  current: string | undefined;
  /** Release directories, oldest first. */
  releases: string[];
  /** Each release's last log entry: those in `releases`, `current`'s, and those of the log's last lines (inspectCommand). */
  log: Map<string, ReleaseLogEntry>;
  /** The deploy lock, if anything is at its path, with its holder when its info names one. */
  lock?: HeldLock | undefined;
  /** Directories this run created to take the lock, deepest first (none when it took no lock). */
  made?: readonly string[];
}

export const EMPTY_HOST_STATE: HostState = { current: undefined, releases: [], log: new Map(), made: [] };

const MARK = "::fap::";

/** Parses the output of `inspectCommand`. */
export function parseHostState(stdout: string): HostState {
  const sections = { made: [] as string[], current: [] as string[], releases: [] as string[], log: [] as string[], lock: [] as string[] };
  // The lines of the section read now; a section this fap does not know is skipped.
  let section: string[] | undefined;
  for (const line of stdout.split("\n")) {
    if (line.startsWith(MARK)) {
      const name = line.slice(MARK.length);
      section = Object.hasOwn(sections, name) ? sections[name as keyof typeof sections] : undefined;
    } else if (section && line) section.push(line);
  }
  const target = sections.current[0];
  return {
    current: target === undefined ? undefined : target.replace(/\/+$/, "").split("/").pop(),
    releases: [...sections.releases].sort(compareReleaseIds),
    log: parseReleaseLog(sections.log.join("\n")),
    lock: parseHeldLock(sections.lock.join("\n")),
    made: sections.made,
  };
}

export { MARK as HOST_STATE_MARK };

/** A release counts (for keep_releases and rollback) unless the log says it failed or was rolled back or is unfinished. */
export function isGoodRelease(state: HostState, id: string): boolean {
  const status: ReleaseStatus | undefined = state.log.get(id)?.status;
  return status === undefined || status === "ok";
}

/** The newest good release older than `current`: where a rollback goes. */
export function rollbackTarget(state: HostState): string | undefined {
  if (state.current === undefined) return undefined;
  const current = state.current;
  return state.releases
    .filter((id) => compareReleaseIds(id, current) < 0 && isGoodRelease(state, id))
    .pop();
}

/**
 * Releases to delete once `live` is current: good ones beyond the newest `keep`, and failed,
 * rolled-back or abandoned ones older than `live`. Never `live` itself.
 */
export function releasesToPrune(state: HostState, live: string, keep: number): string[] {
  const older = state.releases.filter((id) => compareReleaseIds(id, live) < 0);
  const good = older.filter((id) => isGoodRelease(state, id));
  const bad = older.filter((id) => !isGoodRelease(state, id));
  const keepOlder = Math.max(keep - 1, 0);
  const extraGood = good.slice(0, Math.max(good.length - keepOlder, 0));
  return [...extraGood, ...bad].sort(compareReleaseIds);
}
