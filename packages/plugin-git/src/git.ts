import { CORE_PLUGIN_NAME, FapError, isFapError, type FapPlugin, type HostContext } from "@fap/core";
import { formatAddress } from "@fap/core/internal";
import { repoSource, withCredential } from "./credentials.js";
import { PLUGIN_NAME } from "./name.js";
import { gitKeys, type GitOptions } from "./keys.js";
import { describeRevision, parseRevision, type Revision } from "./revision.js";
import { readSettings, type GitSettings } from "./settings.js";
import { startedCommand, startedCommandReadsOnly } from "./resolve-revision-command.js";
import { NO_ARCHIVE_TREE_EXIT, updatingCommand } from "./export-release-command.js";

/**
 * Deploys a branch, a tag or a commit of a git repository: each host keeps a mirror at
 * `repo_path`, fetches the commit into it and exports its tree into the release.
 * `options` become the defaults of the plugin's keys, so YAML, stages, roles and the
 * command line still override them.
 */
export function git(options: GitOptions = {}): FapPlugin {
  return {
    name: PLUGIN_NAME,
    config: gitKeys(options),
    // git archive | tar -x on each host (fap doctor checks they are there).
    requires: ["git", "tar"],
    apply({ hooks }) {
      // Before core creates the release, so a bad value leaves nothing behind on any host.
      hooks.starting.tapPromise({ name: PLUGIN_NAME, before: CORE_PLUGIN_NAME }, async (ctx) => {
        if (ctx.flow === "deploy") repoSource(readSettings(ctx.config).repo);
      });

      hooks.started.tapPromise(PLUGIN_NAME, async (ctx) => {
        if (ctx.flow !== "deploy") return;
        const settings = readSettings(ctx.config);
        const found = await revisionFor(ctx, settings);
        if (found === undefined) throw notFound(settings.branch, repoSource(settings.repo).url, ctx.host);
        ctx.log(`deploying ${describeRevision(found)}`);
      });

      hooks.updating.tapPromise(PLUGIN_NAME, async (ctx) => {
        if (ctx.flow !== "deploy") return;
        const settings = readSettings(ctx.config);
        // Read back what started found for this host: no second round trip.
        const revision = await revisionFor(ctx, settings);
        const releasePath = ctx.paths.release;
        if (revision === undefined || releasePath === undefined) {
          throw new FapError("E_PLUGIN", "no revision was resolved in started", { host: ctx.host });
        }
        try {
          // Roles sharing a host and path share one release: the code goes into it once.
          await ctx.once(`${PLUGIN_NAME} export\0${formatAddress(ctx.remote.resolved)}\0${releasePath}`, async () => {
            const source = repoSource(settings.repo);
            const command = withCredential(source, updatingCommand({ ...settings, repo: source.url, revision, releasePath, repointMirror: source.stdin !== undefined }));
            await ctx.run(command, source.stdin === undefined ? {} : { stdin: source.stdin });
          });
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
        ctx.record({ revision: revision.sha });
      });

      hooks.reverting.tapPromise(PLUGIN_NAME, async (ctx) => {
        if (ctx.flow !== "rollback") return;
        const revisionOf = (id: string | undefined) =>
          (id === undefined ? undefined : ctx.before.log.get(id)?.revision) ?? "an unknown revision";
        ctx.log(`rolling back from ${revisionOf(ctx.release.previousId)} to ${revisionOf(ctx.release.id)}`);
      });
    },
  };
}

/**
 * What `branch` names, asked once per run by the first host to get there: the others wait for
 * its answer (no round trip of their own), and every host deploys that commit even if the
 * branch moves while the run is going. The first host failing to ask (it cannot reach the
 * repo, say) tells nothing about the others: each then asks for itself. The answer is kept per
 * host for `updating`, in the run's own state, so nothing outlives the run.
 */
function revisionFor(ctx: HostContext, settings: GitSettings): Promise<Revision | undefined> {
  const key = `${PLUGIN_NAME} revision\0${settings.repo}\0${settings.branch ?? ""}`;
  return ctx.once(key, (own) => own.once(key, (first) => askRemote(first, settings), { ifFailed: "each" }), { per: "target" });
}

/** What `branch` names on the remote, asked from this host; undefined when it names nothing. */
async function askRemote(ctx: HostContext, settings: GitSettings): Promise<Revision | undefined> {
  // A credential in the URL goes to git on stdin, never into the mirror's config or an argument.
  const source = repoSource(settings.repo);
  const command = withCredential(source, startedCommand({ ...settings, repo: source.url }));
  // Under --dry-run a read-only lookup still runs, so the commands shown carry the real commit.
  const readOnly = startedCommandReadsOnly(settings.branch);
  const result = await ctx.run(command, { allowFailure: true, quiet: true, readOnly, ...(source.stdin === undefined ? {} : { stdin: source.stdin }) });
  if (result.exitCode !== 0) {
    const refused = sshRefusal(result.stderr);
    throw new FapError("E_COMMAND_FAILED", `cannot read ${source.url}: ${refused ?? gitReason(result.stderr, result.exitCode)}`, {
      host: ctx.host,
      hint:
        refused === undefined
          ? "check repo, and that this host can reach it (network, its ssh key or credentials for the repository)"
          : ctx.config.forward_agent === true
            ? "the repository refused the keys of your ssh-agent, forwarded to the host: add your key to the repository (ssh-add -l lists the agent's keys)"
            : "the repository refused the host's ssh keys: set forward_agent: true to use your ssh-agent's keys on the host, or give the host a key the repository accepts (a deploy key)",
      details: { exitCode: result.exitCode, stderr: result.stderr },
    });
  }
  return ctx.dryRun && !readOnly ? dryRunRevision(settings.branch!) : parseRevision(result.stdout, settings.branch);
}

function notFound(branch: string | undefined, repo: string, host: string): FapError {
  if (branch === undefined) {
    return new FapError("E_CONFIG", `${repo} has no default branch (its HEAD points nowhere)`, {
      host,
      hint: `set branch: to one of the branches listed by: git ls-remote --heads ${repo}`,
    });
  }
  return new FapError("E_CONFIG", `branch '${branch}' is not a branch, tag or commit of ${repo}`, {
    host,
    hint: `list the branches with: git ls-remote --heads ${repo} (tags: --tags)`,
  });
}

/** ssh's own reason when the repository's server refused the host (`git@host: Permission denied (publickey).`). */
function sshRefusal(stderr: string): string | undefined {
  return stderr.split("\n").map((line) => line.trim()).find((line) => /Permission denied \(/.test(line));
}

/** git's first `fatal:` line says what went wrong; the lines after it are generic advice. */
function gitReason(stderr: string, exitCode: number | null): string {
  const lines = stderr.split("\n").map((line) => line.trim()).filter(Boolean);
  return lines.find((line) => /^(fatal|error):/.test(line)) ?? lines.at(-1) ?? `exit code ${exitCode}`;
}

/**
 * A name that could be a sha is looked up by fetching into the mirror, which --dry-run does
 * not do: a full sha is shown as itself, a short one as a placeholder.
 */
function dryRunRevision(sha: string): Revision {
  const full = sha.length === 40 || sha.length === 64;
  return { kind: "commit", name: sha, sha: full ? sha.toLowerCase() : `<commit of ${sha}>` };
}
