import { FapError, isFapError, type FapPlugin, type HostContext } from "@fap/core";
import { formatAddress, releasePlugin } from "@fap/core/internal";
import { repoSource, withCredential } from "./credentials.js";
import { PLUGIN_NAME } from "./name.js";
import { gitKeys, type GitOptions } from "./keys.js";
import { describeRevision, parseRevision, type Revision } from "./revision.js";
import { readSettings, type GitSettings } from "./settings.js";
import { startedCommand, startedCommandReadsOnly } from "./resolve-revision-command.js";
import { resolveAndExportCommand } from "./resolve-and-export-command.js";
import { resolveAndExport, resolvesWhileUpdating } from "./one-host.js";
import { notFound, unreadableError } from "./remote-errors.js";
import { NO_ARCHIVE_TREE_EXIT, updatingCommand } from "./export-release-command.js";

/**
 * Deploys a branch, a tag or a commit of a git repository: each host keeps a mirror at
 * `repo_path`, fetches the commit into it and exports its tree into the release.
 * `options` become the defaults of the plugin's keys, so YAML, stages, roles and the
 * command line still override them.
 */
export function git(options: GitOptions = {}): FapPlugin {
  // git archive | tar -x on each host (fap doctor checks they are there).
  const plugin = { name: PLUGIN_NAME, config: gitKeys(options), requires: ["git", "tar"] };
  return releasePlugin(plugin, (ctx) => repoSource(readSettings(ctx.config).repo), (hooks) => {
    hooks.started.tapPromise(PLUGIN_NAME, async (ctx) => {
      if (ctx.flow !== "deploy") return;
      const settings = readSettings(ctx.config);
      // One host: `updating` resolves the branch in its own command. --dry-run sends nothing there, so it asks here.
      if (resolvesWhileUpdating(ctx, settings) && !ctx.dryRun) return;
      const found = await revisionFor(ctx, settings);
      if (found === undefined) throw notFound(settings.branch, repoSource(settings.repo).url, ctx.host);
      ctx.log(`deploying ${describeRevision(found)}`);
    });

    hooks.updating.tapPromise(PLUGIN_NAME, async (ctx) => {
      if (ctx.flow !== "deploy") return;
      const settings = readSettings(ctx.config);
      const releasePath = ctx.paths.release;
      if (releasePath === undefined) throw new FapError("E_PLUGIN", "the deploy has no release directory", { host: ctx.host });
      // Roles sharing a host and path share one release: the code goes into it once.
      const exportKey = `${PLUGIN_NAME} export\0${formatAddress(ctx.remote.resolved)}\0${releasePath}`;
      let revision: Revision | undefined;
      if (resolvesWhileUpdating(ctx, settings) && !ctx.dryRun) {
        // The first target resolves and exports into its release; the host's other targets deploy that commit.
        revision = await ctx.once(revisionKey(settings), () => ctx.once(exportKey, () => resolveAndExport(ctx, settings, releasePath)));
        ctx.log(`deploying ${describeRevision(revision)}`);
      } else {
        // Read back what started found for this host: no second round trip.
        revision = await revisionFor(ctx, settings);
        if (revision === undefined) throw new FapError("E_PLUGIN", "no revision was resolved in started", { host: ctx.host });
      }
      await ctx.once(exportKey, () => exportRevision(ctx, settings, revision, releasePath));
      ctx.record({ revision: revision.sha });
    });

    hooks.reverting.tapPromise(PLUGIN_NAME, async (ctx) => {
      if (ctx.flow !== "rollback") return;
      const revisionOf = (id: string | undefined) =>
        (id === undefined ? undefined : ctx.before.log.get(id)?.revision) ?? "an unknown revision";
      ctx.log(`rolling back from ${revisionOf(ctx.release.previousId)} to ${revisionOf(ctx.release.id)}`);
    });
  });
}

/**
 * What `branch` names, asked once per run by the first host to get there: the others wait for
 * its answer (no round trip of their own), and every host deploys that commit even if the
 * branch moves while the run is going. The first host failing to ask (it cannot reach the
 * repo, say) tells nothing about the others: each then asks for itself. The answer is kept per
 * host for `updating`, in the run's own state, so nothing outlives the run.
 */
function revisionFor(ctx: HostContext, settings: GitSettings): Promise<Revision | undefined> {
  const key = revisionKey(settings);
  return ctx.once(key, (own) => own.once(key, (first) => askRemote(first, settings), { ifFailed: "each" }), { per: "target" });
}

function revisionKey(settings: GitSettings): string {
  return `${PLUGIN_NAME} revision\0${settings.repo}\0${settings.branch ?? ""}`;
}

/** Exports `revision` into the release: what `started` resolved, or under --dry-run on one host what `updating` would. */
async function exportRevision(ctx: HostContext, settings: GitSettings, revision: Revision, releasePath: string): Promise<Revision> {
  const source = repoSource(settings.repo);
  const command = ctx.dryRun && resolvesWhileUpdating(ctx, settings)
    ? resolveAndExportCommand({ ...settings, repo: source.url, releasePath, repointMirror: source.stdin !== undefined })
    : updatingCommand({ ...settings, repo: source.url, revision, releasePath, repointMirror: source.stdin !== undefined });
  try {
    await ctx.run(withCredential(source, command), source.stdin === undefined ? {} : { stdin: source.stdin });
  } catch (error) {
    if (isFapError(error) && error.details.exitCode === NO_ARCHIVE_TREE_EXIT) {
      throw new FapError("E_CONFIG", `git_archive_tree '${settings.archiveTree}' is not a folder of ${describeRevision(revision)}`, {
        host: ctx.host,
        hint: `list its folders with: git ls-tree -d --name-only ${revision.sha}`,
        cause: error,
      });
    }
    throw error;
  }
  return revision;
}

/** What `branch` names on the remote, asked from this host; undefined when it names nothing. */
async function askRemote(ctx: HostContext, settings: GitSettings): Promise<Revision | undefined> {
  // A credential in the URL goes to git on stdin, never into the mirror's config or an argument.
  const source = repoSource(settings.repo);
  const command = withCredential(source, startedCommand({ ...settings, repo: source.url }));
  // Under --dry-run a read-only lookup still runs, so the commands shown carry the real commit.
  const readOnly = startedCommandReadsOnly(settings.branch);
  const result = await ctx.run(command, { allowFailure: true, quiet: true, readOnly, ...(source.stdin === undefined ? {} : { stdin: source.stdin }) });
  if (result.exitCode !== 0) throw unreadableError(ctx, source.url, result.stderr, result.exitCode);
  return ctx.dryRun && !readOnly ? dryRunRevision(settings.branch!) : parseRevision(result.stdout, settings.branch);
}

/**
 * A name that could be a sha is looked up by fetching into the mirror, which --dry-run does
 * not do: a full sha is shown as itself, a short one as a placeholder.
 */
function dryRunRevision(sha: string): Revision {
  const full = sha.length === 40 || sha.length === 64;
  return { kind: "commit", name: sha, sha: full ? sha.toLowerCase() : `<commit of ${sha}>` };
}
