import { FapError, isFapError, type HostContext } from "@fap/core";
import { repoSource, withCredential } from "./credentials.js";
import { NO_ARCHIVE_TREE_EXIT } from "./export-release-command.js";
import { notFound, unreadableError } from "./remote-errors.js";
import { NOT_FOUND_MARK, REF_MARK, resolveAndExportCommand, UNREADABLE_MARK } from "./resolve-and-export-command.js";
import { startedCommandReadsOnly } from "./resolve-revision-command.js";
import { describeRevision, parseRevision, type Revision } from "./revision.js";
import type { GitSettings } from "./settings.js";

/**
 * Whether `branch` is resolved by the `updating` command itself: when the run has one host,
 * nothing waits for the answer before that host updates, so `git ls-remote` needs no round
 * trip of its own. A name that looks like a sha keeps its `started` command: finding its
 * commit fetches into the mirror.
 */
export function resolvesWhileUpdating(ctx: HostContext, settings: GitSettings): boolean {
  // Stops at the first other host: on a fleet each host asks, and a Set of all would be n² work.
  const first = ctx.targets[0]?.host;
  return ctx.targets.every((target) => target.host === first) && startedCommandReadsOnly(settings.branch);
}

/**
 * Resolves `branch` and exports its commit into the release in one command, and reads what it
 * resolved from the command's stderr: the same errors as the separate `started` command gives
 * (`cannot read …`, `branch '…' is not a branch, tag or commit of …`).
 */
export async function resolveAndExport(ctx: HostContext, settings: GitSettings, releasePath: string): Promise<Revision> {
  const source = repoSource(settings.repo);
  const command = withCredential(source, resolveAndExportCommand({ ...settings, repo: source.url, releasePath, repointMirror: source.stdin !== undefined }));
  let stderr: string;
  try {
    stderr = (await ctx.run(command, { quiet: true, ...(source.stdin === undefined ? {} : { stdin: source.stdin }) })).stderr;
  } catch (error) {
    throw failure(ctx, settings, source.url, error);
  }
  const revision = readRevision(stderr, settings.branch);
  if (revision === undefined) throw notFound(settings.branch, source.url, ctx.host);
  return revision;
}

function failure(ctx: HostContext, settings: GitSettings, url: string, error: unknown): unknown {
  if (!isFapError(error)) return error;
  const stderr = typeof error.details.stderr === "string" ? error.details.stderr : "";
  const lines = stderr.split("\n");
  const unreadable = lines.find((line) => line.startsWith(UNREADABLE_MARK));
  if (unreadable !== undefined) {
    const own = lines.filter((line) => !line.startsWith(UNREADABLE_MARK)).join("\n");
    return unreadableError(ctx, url, own, Number(unreadable.slice(UNREADABLE_MARK.length)));
  }
  if (lines.includes(NOT_FOUND_MARK)) return notFound(settings.branch, url, ctx.host);
  const revision = readRevision(stderr, settings.branch);
  if (revision !== undefined && error.details.exitCode === NO_ARCHIVE_TREE_EXIT) {
    return new FapError("E_CONFIG", `git_archive_tree '${settings.archiveTree}' is not a folder of ${describeRevision(revision)}`, {
      host: ctx.host,
      hint: `list its folders with: git ls-tree -d --name-only ${revision.sha}`,
      cause: error,
    });
  }
  return error;
}

/** The `git ls-remote` lines the command printed after REF_MARK, read as the `started` command's output is. */
function readRevision(stderr: string, branch: string | undefined): Revision | undefined {
  const refs = stderr.split("\n").filter((line) => line.startsWith(REF_MARK)).map((line) => line.slice(REF_MARK.length));
  return parseRevision(refs.join("\n"), branch);
}
