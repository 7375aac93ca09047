import { looksLikeSha } from "./ref-name.js";

/** What `branch` named on the remote, and the commit it stands for. */
export interface Revision {
  kind: "branch" | "tag" | "commit";
  /** The branch or tag name, or the sha as written. */
  name: string;
  /** Full sha of the commit to deploy (a tag is peeled to its commit). */
  sha: string;
}

/** Precedes the output of the commit lookup in the `started` command. */
export const COMMIT_MARK = "::fap-git::commit";

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * Reads the `started` command's output: `git ls-remote --symref` lines, then, after
 * COMMIT_MARK, what `git rev-parse` found for a sha. A branch wins over a tag of the same
 * name, and both over a commit. Undefined when `branch` names nothing.
 */
export function parseRevision(stdout: string, branch: string | undefined): Revision | undefined {
  const refs = new Map<string, string>();
  let headTarget: string | undefined;
  let commit: string | undefined;
  let inCommit = false;
  for (const line of stdout.split("\n")) {
    if (line === COMMIT_MARK) inCommit = true;
    else if (inCommit) commit = SHA.test(line.trim()) ? line.trim() : commit;
    else {
      const symref = /^ref: (\S+)\tHEAD$/.exec(line);
      if (symref?.[1]) headTarget = symref[1];
      const ref = /^([0-9a-f]{40}(?:[0-9a-f]{24})?)\t(.+)$/.exec(line);
      if (ref?.[1] && ref[2]) refs.set(ref[2], ref[1]);
    }
  }

  if (branch === undefined) {
    const sha = refs.get("HEAD");
    if (sha === undefined) return undefined;
    if (headTarget?.startsWith("refs/heads/")) return { kind: "branch", name: headTarget.slice("refs/heads/".length), sha };
    return { kind: "commit", name: sha, sha };
  }
  const head = refs.get(`refs/heads/${branch}`);
  if (head !== undefined) return { kind: "branch", name: branch, sha: head };
  const tag = refs.get(`refs/tags/${branch}^{}`) ?? refs.get(`refs/tags/${branch}`);
  if (tag !== undefined) return { kind: "tag", name: branch, sha: tag };
  if (commit !== undefined && looksLikeSha(branch) && commit.startsWith(branch.toLowerCase())) {
    return { kind: "commit", name: branch, sha: commit };
  }
  return undefined;
}

/** "branch main at 0123abc…" for logs. */
export function describeRevision(revision: Revision): string {
  if (revision.kind === "commit") return `commit ${revision.sha}`;
  return `${revision.kind} ${revision.name} at ${revision.sha}`;
}
