import { refuseSymlinks, sh, type RawShell } from "@fap/core";
import { fetchAllCommand, fetchMissingLines, fetchRefCommand, fetchShaCommand, mirrorCommand } from "./_fetch.js";
import type { Revision } from "./revision.js";

export interface UpdatingCommandInput {
  repo: string;
  repoPath: string;
  revision: Revision;
  /** 0: the full history. */
  depth: number;
  archiveTree: string | undefined;
  releasePath: string;
  revisionFile: string;
  /** Point the mirror's origin at `repo` even when it holds the commit: an older fap stored a credential there. */
  repointMirror?: boolean;
}

/** Exit code of the `updating` command when git_archive_tree is not a folder of the commit. */
export const NO_ARCHIVE_TREE_EXIT = 3;

/**
 * One round trip: fetches the commit unless the mirror has it (creating the mirror on the
 * host's first deploy), exports its tree (or the
 * git_archive_tree folder, whose path parts are stripped) into the release, and writes its
 * sha to the revision file, replacing whatever the repository had there.
 */
export function updatingCommand(input: UpdatingCommandInput): string {
  const { repoPath, revision, archiveTree, releasePath } = input;
  const lines = [
    "set -e",
    ...(input.repointMirror ? [mirrorCommand(input.repo, repoPath)] : []),
    ...fetchMissingLines({
      repo: input.repo,
      repoPath,
      commit: `${revision.sha}^{commit}`,
      ...fetchCommands(input),
      cannotFetch: sh`printf '%s\\n' ${`cannot fetch ${revision.sha} (${revision.kind} ${revision.name}) from origin`}`,
    }),
  ];
  if (archiveTree === undefined) {
    lines.push(sh`git -C ${repoPath} archive --format=tar ${revision.sha} | tar -x -f - -C ${releasePath}`);
  } else {
    const strip = archiveTree.split("/").length;
    lines.push(
      sh`test "$(git -C ${repoPath} cat-file -t ${`${revision.sha}:${archiveTree}`} 2>/dev/null)" = tree || ` +
        sh`{ printf '%s\\n' ${`git_archive_tree '${archiveTree}' is not a folder in ${revision.sha}`} >&2; exit ${NO_ARCHIVE_TREE_EXIT}; }`,
      sh`git --literal-pathspecs -C ${repoPath} archive --format=tar ${revision.sha} -- ${archiveTree} | ` +
        sh`tar -x -f - -C ${releasePath} --strip-components=${strip}`,
    );
  }
  lines.push(...revisionFileLines(releasePath, input.revisionFile, revision.sha));
  return lines.join("\n");
}

/** Writes `sha` (a RawShell: a shell word holding it) to the revision file, never through a symlink. */
export function revisionFileLines(releasePath: string, revisionFile: string, sha: string | RawShell): string[] {
  const revisionPath = `${releasePath}/${revisionFile}`;
  const lines: string[] = [];
  // The export may have put a symlink on the way to the revision file: never write through it.
  const guard = refuseSymlinks(releasePath, revisionFile, { what: `revision_file '${revisionFile}'`, where: "the release" });
  if (guard) lines.push(guard);
  if (revisionFile.includes("/")) lines.push(sh`mkdir -p ${revisionPath.slice(0, revisionPath.lastIndexOf("/"))}`);
  // Removed first, so a REVISION the repository holds as a link is replaced, not written through.
  lines.push(sh`! { test -e ${revisionPath} || test -L ${revisionPath}; } || rm -f ${revisionPath}`, sh`printf '%s\\n' ${sha} > ${revisionPath}`);
  return lines;
}

/** The commit by sha, falling back to its ref by name; everything for a full mirror. */
function fetchCommands({ repoPath, revision, depth }: UpdatingCommandInput): { bySha: string | undefined; fallback: string } {
  if (depth === 0) return { bySha: undefined, fallback: fetchAllCommand(repoPath) };
  const bySha = fetchShaCommand(repoPath, revision.sha, depth);
  // A commit named by sha has no ref to fall back to: servers that refuse it by sha give all.
  if (revision.kind === "commit") return { bySha, fallback: fetchAllCommand(repoPath) };
  const ref = `refs/${revision.kind === "branch" ? "heads" : "tags"}/${revision.name}`;
  return { bySha, fallback: fetchRefCommand(repoPath, ref, depth) };
}
