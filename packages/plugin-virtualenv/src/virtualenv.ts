import { FapError, writeThroughError, type FapPlugin, type HostContext } from "@fap/core";
import { releasePlugin } from "@fap/core/internal";
import { PLUGIN_NAME } from "./name.js";
import { virtualenvKeys, type VirtualenvOptions } from "./keys.js";
import { pipReason } from "./pip-reason.js";
import { isInside, readSettings, type VirtualenvSettings } from "./settings.js";
import { NO_REQUIREMENTS_EXIT, readMarks, updatedCommand, type Marks, type PreviousVenv } from "./install-venv-command.js";

/**
 * Fapistrano's "Dependencies": once the release's files are in place (`updated`), each host
 * creates a venv in the release and installs the requirements into it, so the release
 * carries its own dependencies and a rollback brings back the ones it was deployed with.
 */
export function virtualenv(options: VirtualenvOptions = {}): FapPlugin {
  const plugin = { name: PLUGIN_NAME, config: virtualenvKeys(options), requires: ["python3"] };
  return releasePlugin(plugin, (ctx) => readSettings(ctx.config, releasePathOf(ctx)), (hooks) => {
    hooks.updated.tapPromise(PLUGIN_NAME, async (ctx) => {
      if (ctx.flow !== "deploy") return;
      const releasePath = releasePathOf(ctx);
      const settings = readSettings(ctx.config, releasePath);
      const previous = settings.reuse ? previousVenv(ctx, settings, releasePath) : undefined;
      const started = Date.now();
      const result = await ctx.run(updatedCommand({ ...settings, releasePath, previous }), {
        cwd: releasePath,
        allowFailure: true,
        quiet: true,
        ...(settings.pipIndexUrl === undefined ? {} : { stdin: `${settings.pipIndexUrl}\n` }),
      });
      if (ctx.dryRun) return;
      const marks = readMarks(result.stdout);
      if (result.exitCode !== 0) throw failure(ctx, settings, marks, result.stderr, result.exitCode);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (marks.reused) {
        ctx.log(`reused the venv of release ${ctx.release.previousId} (requirements unchanged) in ${seconds} s`);
      } else {
        const how = marks.createdWith ?? settings.executive?.join(" ") ?? "virtualenv";
        const note = marks.reuseFailed ? ` (the venv of release ${ctx.release.previousId} failed verification)` : "";
        ctx.log(`created ${settings.venvPath} with ${how} and installed ${settings.requirements} in ${seconds} s${note}`);
      }
    });
  });
}

function releasePathOf(ctx: HostContext): string {
  const releasePath = ctx.paths.release;
  if (releasePath === undefined) throw new FapError("E_PLUGIN", "this deploy has no release", { host: ctx.host });
  return releasePath;
}

/** The live release's venv, at the same place inside it as this release's. */
function previousVenv(ctx: HostContext, settings: VirtualenvSettings, releasePath: string): PreviousVenv | undefined {
  const id = ctx.release.previousId;
  if (id === undefined) return undefined;
  if (!isInside(settings.venvPath, releasePath) || !isInside(settings.requirements, releasePath)) {
    ctx.log("virtualenv_reuse needs the venv and the requirements file inside the release; creating a new venv", "warn");
    return undefined;
  }
  const previousRelease = `${ctx.paths.releases}/${id}`;
  const moved = (path: string) => previousRelease + path.slice(releasePath.length);
  return { releasePath: previousRelease, requirements: moved(settings.requirements), venvPath: moved(settings.venvPath) };
}

function failure(ctx: HostContext, settings: VirtualenvSettings, marks: Marks, stderr: string, exitCode: number | null): FapError {
  const details = { exitCode, stderr };
  const refused = writeThroughError(ctx.host, exitCode, stderr.trim().split("\n").pop() ?? "", details);
  if (refused) return refused;
  if (exitCode === NO_REQUIREMENTS_EXIT) {
    return new FapError("E_CONFIG", `virtualenv_requirements: ${settings.requirements} is not in the release`, {
      host: ctx.host,
      hint: "commit the requirements file, or point virtualenv_requirements at it (e.g. '%(release_path)s/production-requirements.txt')",
      details,
    });
  }
  const reason = pipReason(stderr, exitCode);
  switch (marks.lastStep) {
    case "create": {
      const how = marks.createdWith ?? settings.executive?.join(" ") ?? "virtualenv";
      return new FapError("E_COMMAND_FAILED", `creating the venv ${settings.venvPath} with ${how} failed: ${reason}`, {
        host: ctx.host,
        hint: "install virtualenv (Debian: python3-virtualenv) or python3-venv on the host, or set virtualenv_executive",
        details,
      });
    }
    case "upgrade":
      return new FapError("E_COMMAND_FAILED", `pip install --upgrade pip failed: ${reason}`, {
        host: ctx.host,
        hint: "the host must reach an index or --find-links holding pip (virtualenv_pip_options), or set virtualenv_pip_upgrade: false",
        details,
      });
    case "install":
      return new FapError("E_COMMAND_FAILED", `pip install -r ${settings.requirements} failed: ${reason}`, {
        host: ctx.host,
        hint: "check the requirements, and that the host reaches an index or the --find-links of virtualenv_pip_options",
        details,
      });
    default:
      return new FapError("E_COMMAND_FAILED", `preparing ${settings.venvPath} failed: ${reason}`, { host: ctx.host, details });
  }
}
