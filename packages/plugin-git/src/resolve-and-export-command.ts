import { quote, raw, sh } from "@fap/core";
import { fetchAllCommand, fetchRefCommand, fetchShaCommand, mirrorCommand } from "./_fetch.js";
import { NO_ARCHIVE_TREE_EXIT, revisionFileLines } from "./export-release-command.js";
import { refPatterns } from "./resolve-revision-command.js";

export interface ResolveAndExportInput {
  repo: string;
  repoPath: string;
  /** A branch or tag name (never one that looks like a sha: that needs the mirror to resolve); undefined: the remote's HEAD. */
  branch: string | undefined;
  /** 0: the full history. */
  depth: number;
  archiveTree: string | undefined;
  releasePath: string;
  revisionFile: string;
  repointMirror?: boolean;
}

/** Precedes each `git ls-remote` line the command prints on stderr, for `parseRevision`. */
export const REF_MARK = "::fap-git::ref ";
/** Printed on stderr when the remote has no such branch or tag. */
export const NOT_FOUND_MARK = "::fap-git::not-found";
/** Printed on stderr, with git's exit code, when `git ls-remote` could not read the remote. */
export const UNREADABLE_MARK = "::fap-git::unreadable ";

const SHA = raw(`"$sha"`);

/**
 * One round trip for a run with one host: what the `started` command asks (`git ls-remote`)
 * and what the `updating` command does, the sha read by the shell in between. It picks the
 * commit as `parseRevision` does (a branch over a tag, a tag's peeled commit over the tag
 * object), and prints the lines it read after REF_MARK on stderr, so fap reads the same
 * revision for its log, the release log and its errors, also from a failed command's stderr.
 */
export function resolveAndExportCommand(input: ResolveAndExportInput): string {
  const { repoPath, branch, archiveTree, releasePath } = input;
  const lookup = branch === undefined ? sh`git ls-remote --symref ${input.repo} HEAD` : sh`git ls-remote ${input.repo} ${refPatterns(branch)}`;
  const commit = raw(`"$sha^{commit}"`);
  const lines = [
    "set -e",
    ...(input.repointMirror ? [mirrorCommand(input.repo, repoPath)] : []),
    `refs=$(${lookup}) || { fap_s=$?; printf '%s%s\\n' ${quote(UNREADABLE_MARK)} "$fap_s" >&2; exit "$fap_s"; }`,
    "sha= ref= what= fap_branch= fap_peeled=",
    "while IFS='\t' read -r fap_a fap_b; do",
    `  test -n "$fap_a" || continue`,
    `  printf '%s%s\\t%s\\n' ${quote(REF_MARK)} "$fap_a" "$fap_b" >&2`,
    ...(branch === undefined ? headCases() : nameCases(branch)),
    "done <<FAP_REFS",
    "$refs",
    "FAP_REFS",
    ...(branch === undefined ? [`case $ref in refs/heads/*) what="branch \${ref#refs/heads/}" ;; *) ref= what="commit $sha" ;; esac`] : []),
    sh`test -n "$sha" || { printf '%s\\n' ${NOT_FOUND_MARK} >&2; exit 1; }`,
    // A host's first deploy has no mirror yet: asking git about it would start a process for nothing.
    sh`if ! { test -d ${repoPath}/objects && git -C ${repoPath} cat-file -e ${commit} 2>/dev/null; }; then`,
    sh`  ${raw(mirrorCommand(input.repo, repoPath))}`,
    `  ${fetchCommand(input)}`,
    sh`  git -C ${repoPath} cat-file -e ${commit} 2>/dev/null || { printf 'cannot fetch %s (%s) from origin\\n' ${SHA} "$what" >&2; exit 1; }`,
    "fi",
  ];
  if (archiveTree === undefined) {
    lines.push(sh`git -C ${repoPath} archive --format=tar ${SHA} | tar -x -f - -C ${releasePath}`);
  } else {
    const strip = archiveTree.split("/").length;
    lines.push(
      sh`test "$(git -C ${repoPath} cat-file -t ${raw(`"$sha":${quote(archiveTree)}`)} 2>/dev/null)" = tree || ` +
        sh`{ printf ${`git_archive_tree '${archiveTree.replace(/%/g, "%%")}' is not a folder in %s\n`} ${SHA} >&2; exit ${NO_ARCHIVE_TREE_EXIT}; }`,
      sh`git --literal-pathspecs -C ${repoPath} archive --format=tar ${SHA} -- ${archiveTree} | ` +
        sh`tar -x -f - -C ${releasePath} --strip-components=${strip}`,
    );
  }
  lines.push(...revisionFileLines(releasePath, input.revisionFile, SHA));
  return lines.join("\n");
}

/** A branch wins over a tag, a tag's peeled commit (`^{}`) over the tag object, whatever the order. */
function nameCases(name: string): string[] {
  const tag = `refs/tags/${name}`;
  return [
    "  case $fap_b in",
    sh`    ${`refs/heads/${name}`}) sha=$fap_a ref=$fap_b what=${`branch ${name}`} fap_branch=1 ;;`,
    sh`    ${`${tag}^{}`}) test -n "$fap_branch" || { sha=$fap_a ref=${tag} what=${`tag ${name}`} fap_peeled=1; } ;;`,
    sh`    ${tag}) test -n "$fap_branch$fap_peeled" || { sha=$fap_a ref=$fap_b what=${`tag ${name}`}; } ;;`,
    "  esac",
  ];
}

/** `ref: refs/heads/main<TAB>HEAD` names the branch, `<sha><TAB>HEAD` its commit. */
function headCases(): string[] {
  return [
    "  case $fap_a in",
    "    'ref: '*) ref=${fap_a#ref: } ;;",
    `    *) test "$fap_b" != HEAD || sha=$fap_a ;;`,
    "  esac",
  ];
}

/** By sha, falling back to the branch or tag by name (everything for a detached HEAD), or everything for a full mirror. */
function fetchCommand({ repoPath, depth }: ResolveAndExportInput): string {
  if (depth === 0) return fetchAllCommand(repoPath);
  const byRef = fetchRefCommand(repoPath, raw(`"+$ref:$ref"`), depth);
  return `${fetchShaCommand(repoPath, SHA, depth)} 2>/dev/null || if test -n "$ref"; then ${byRef}; else ${fetchAllCommand(repoPath)}; fi`;
}
