import { raw, sh } from "@fap/core";
import { fetchAllCommand, fetchShaCommand, mirrorCommand } from "./_fetch.js";
import { looksLikeSha } from "./ref-name.js";
import { COMMIT_MARK } from "./revision.js";

export interface StartedCommandInput {
  repo: string;
  repoPath: string;
  branch: string | undefined;
  depth: number;
}

/**
 * One round trip, sent by one host per run: asks the remote what `branch` names (`git
 * ls-remote` straight at `repo`, which needs no mirror and proves the remote is reachable). A
 * name that could be a sha and is no branch or tag is looked up as a commit, which needs its
 * history: the host's mirror is created and fetched here, so that a missing commit stops the
 * deploy before `updating`. Read the output with `parseRevision`.
 */
export function startedCommand({ repo, repoPath, branch, depth }: StartedCommandInput): string {
  if (branch === undefined) return sh`git ls-remote --symref ${repo} HEAD`;
  if (!looksLikeSha(branch)) return sh`git ls-remote ${repo} ${refPatterns(branch)}`;
  const fetch = depth > 0 && isFullSha(branch)
    ? `${fetchShaCommand(repoPath, branch, depth)} 2>/dev/null || ${fetchAllCommand(repoPath)}`
    : fetchAllCommand(repoPath);
  return [
    "set -e",
    mirrorCommand(repo, repoPath),
    sh`refs=$(git -C ${repoPath} ls-remote origin ${refPatterns(branch)})`,
    `printf '%s\\n' "$refs"`,
    `if test -z "$refs"; then`,
    sh`  ${raw(fetch)}`,
    sh`  printf '%s\\n' ${COMMIT_MARK}`,
    sh`  git -C ${repoPath} rev-parse --verify -q ${`${branch}^{commit}`} || true`,
    "fi",
  ].join("\n");
}

/**
 * Whether startedCommand only reads (a `git ls-remote` straight at the repo), so that --dry-run
 * may send it for real. For a name that could be a sha it creates and fetches the mirror.
 */
export function startedCommandReadsOnly(branch: string | undefined): boolean {
  return branch === undefined || !looksLikeSha(branch);
}

/** ls-remote patterns for the branch and the tag (and its peeled commit) called `name`. */
export function refPatterns(name: string): string[] {
  return [`refs/heads/${name}`, `refs/tags/${name}`, `refs/tags/${name}^{}`];
}

function isFullSha(name: string): boolean {
  return name.length === 40 || name.length === 64;
}
