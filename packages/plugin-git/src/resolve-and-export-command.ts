import { quote, raw, sh } from "@fap/core";
import { fetchAllCommand, fetchMissingLines, fetchRefCommand, fetchShaCommand, mirrorCommand } from "./_fetch.js";
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
 * On the host's first deploy of a branch, it fetches the branch by name instead, and asks only
 * if that finds nothing (firstDeployLines).
 */
export function resolveAndExportCommand(input: ResolveAndExportInput): string {
  const { repoPath, branch, archiveTree, releasePath } = input;
  const lines = [
    "set -e",
    ...(input.repointMirror ? [mirrorCommand(input.repo, repoPath)] : []),
    "sha= ref= what= fap_branch= fap_peeled=",
    ...(branch !== undefined && input.depth > 0 ? firstDeployLines(input, branch) : []),
    `if test -z "$sha"; then`,
    ...lookupLines(input).map((line) => (line === "$refs" || line === "FAP_REFS" ? line : `  ${line}`)),
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

/**
 * Asks the remote what `branch` names, picks the commit, and fetches what the mirror lacks.
 * The here-document's lines are the only ones that must not be indented.
 */
function lookupLines(input: ResolveAndExportInput): string[] {
  const { repoPath, branch } = input;
  const lookup = branch === undefined ? sh`git ls-remote --symref ${input.repo} HEAD` : sh`git ls-remote ${input.repo} ${refPatterns(branch)}`;
  return [
    `refs=$(${lookup}) || { fap_s=$?; printf '%s%s\\n' ${quote(UNREADABLE_MARK)} "$fap_s" >&2; exit "$fap_s"; }`,
    "while IFS='\t' read -r fap_a fap_b; do",
    `  test -n "$fap_a" || continue`,
    `  printf '%s%s\\t%s\\n' ${quote(REF_MARK)} "$fap_a" "$fap_b" >&2`,
    ...(branch === undefined ? headCases() : nameCases(branch)),
    "done <<FAP_REFS",
    "$refs",
    "FAP_REFS",
    ...(branch === undefined ? [`case $ref in refs/heads/*) what="branch \${ref#refs/heads/}" ;; *) ref= what="commit $sha" ;; esac`] : []),
    sh`test -n "$sha" || { printf '%s\\n' ${NOT_FOUND_MARK} >&2; exit 1; }`,
    ...fetchMissingLines({
      repo: input.repo,
      repoPath,
      commit: raw(`"$sha^{commit}"`),
      ...fetchCommands(input),
      cannotFetch: sh`printf 'cannot fetch %s (%s) from origin\\n' ${SHA} "$what"`,
    }),
  ];
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

/**
 * A host's first deploy of a branch fetches it by name, straight into the new mirror, and
 * reads its commit from FETCH_HEAD: the remote is asked once, where `git ls-remote` and a
 * fetch by sha ask twice. A branch wins over a tag of the same name, so what it fetched is
 * what the lookup would pick. When there is no such branch (a tag, a typo, an unreadable
 * remote), `sha` stays empty and the lookup runs, with its own errors.
 */
function firstDeployLines({ repo, repoPath, depth }: ResolveAndExportInput, branch: string): string[] {
  const ref = `refs/heads/${branch}`;
  return [
    sh`if ! test -d ${repoPath}/objects; then`,
    `  ${mirrorCommand(repo, repoPath)}`,
    // No ref is stored: the mirror holds what a fetch by sha leaves, FETCH_HEAD aside.
    sh`  if ${raw(fetchRefCommand(repoPath, raw(quote(ref)), depth))} 2>/dev/null && IFS= read -r fap_head < ${repoPath}/FETCH_HEAD; then`,
    "    fap_head=${fap_head%%\t*}",
    "    case ${#fap_head}:$fap_head in 40:*[!0-9a-f]*|64:*[!0-9a-f]*) ;;",
    sh`      40:*|64:*) sha=$fap_head ref=${ref} what=${`branch ${branch}`}; printf '%s%s\\t%s\\n' ${REF_MARK} "$sha" "$ref" >&2 ;;`,
    "    esac",
    "  fi",
    "fi",
  ];
}

/** By sha, falling back to the branch or tag by name (everything for a detached HEAD), or everything for a full mirror. */
function fetchCommands({ repoPath, depth }: ResolveAndExportInput): { bySha: string | undefined; fallback: string } {
  if (depth === 0) return { bySha: undefined, fallback: fetchAllCommand(repoPath) };
  const byRef = fetchRefCommand(repoPath, raw(`"+$ref:$ref"`), depth);
  return { bySha: fetchShaCommand(repoPath, SHA, depth), fallback: `if test -n "$ref"; then ${byRef}; else ${fetchAllCommand(repoPath)}; fi` };
}
