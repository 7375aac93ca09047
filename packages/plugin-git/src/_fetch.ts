import { sh } from "@fap/core";

const ALL_REFS = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"];

/**
 * Fetches every branch and tag with their full history, as a mirror holds them. A mirror left
 * shallow by earlier deploys is completed, or old commits would stay out of reach.
 */
export function fetchAllCommand(repoPath: string): string {
  return (
    sh`if test -f ${repoPath}/shallow; then git -C ${repoPath} fetch -q --prune --unshallow origin -- ${ALL_REFS}; ` +
    sh`else git -C ${repoPath} fetch -q --prune origin -- ${ALL_REFS}; fi`
  );
}

/** Fetches one commit by its sha and `depth` commits of its history. */
export function fetchShaCommand(repoPath: string, sha: string, depth: number): string {
  return sh`git -C ${repoPath} fetch -q --depth ${depth} origin -- ${sha}`;
}

/** Fetches one ref by name (for servers that refuse a request by sha) into the same ref. */
export function fetchRefCommand(repoPath: string, ref: string, depth: number): string {
  return sh`git -C ${repoPath} fetch -q --depth ${depth} origin -- ${`+${ref}:${ref}`}`;
}

/** Creates the host's bare mirror if it has none, and points its `origin` at `repo`. */
export function mirrorCommand(repo: string, repoPath: string): string {
  return sh`{ test -d ${repoPath}/objects || git init -q --bare -- ${repoPath}; } && git -C ${repoPath} config -- remote.origin.url ${repo}`;
}
