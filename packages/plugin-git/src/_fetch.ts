import { raw, sh, type RawShell } from "@fap/core";

const ALL_REFS = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"];

/**
 * `git -C <mirror> fetch`, keeping what arrives as the one pack it came in. By default git
 * explodes a pack of fewer than 100 objects into loose object files, each written and synced
 * on its own: that took 49 ms of CPU per fetch of a 20-file commit here, against 19 ms. Packs
 * that pile up are merged by git's own automatic gc.
 */
function fetchIn(repoPath: string): string {
  return sh`git -c fetch.unpackLimit=1 -C ${repoPath} fetch`;
}

/**
 * Fetches every branch and tag with their full history, as a mirror holds them. A mirror left
 * shallow by earlier deploys is completed, or old commits would stay out of reach.
 */
export function fetchAllCommand(repoPath: string): string {
  return (
    sh`if test -f ${repoPath}/shallow; then ${raw(fetchIn(repoPath))} -q --prune --unshallow origin -- ${ALL_REFS}; ` +
    sh`else ${raw(fetchIn(repoPath))} -q --prune origin -- ${ALL_REFS}; fi`
  );
}

/** Fetches one commit by its sha (or a shell word holding it) and `depth` commits of its history. */
export function fetchShaCommand(repoPath: string, sha: string | RawShell, depth: number): string {
  return sh`${raw(fetchIn(repoPath))} -q --depth ${depth} origin -- ${sha}`;
}

/** Fetches one ref by name (for servers that refuse a request by sha) into the same ref; a RawShell is the refspec's shell word. */
export function fetchRefCommand(repoPath: string, ref: string | RawShell, depth: number): string {
  return sh`${raw(fetchIn(repoPath))} -q --depth ${depth} origin -- ${typeof ref === "string" ? `+${ref}:${ref}` : ref}`;
}

/**
 * Creates the host's bare mirror if it has none (without git's sample hooks, which a mirror
 * never runs: half the cost of `git init`), and points its `origin` at `repo`.
 */
export function mirrorCommand(repo: string, repoPath: string): string {
  return sh`{ test -d ${repoPath}/objects || git init -q --bare --template= -- ${repoPath}; } && git -C ${repoPath} config -- remote.origin.url ${repo}`;
}
