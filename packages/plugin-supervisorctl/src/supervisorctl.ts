import { FapError, type FapPlugin, type Hooks, type HostContext } from "@fap/core";
import { lastNonEmptyLine, runtimePlugin, type PutBackActions, type RuntimeActions } from "@fap/core/internal";
import { runProgram } from "./_run-program.js";
import { EXIT } from "./_script.js";
import { PLUGIN_NAME } from "./name.js";
import { supervisorctlKeys, type SupervisorctlOptions } from "./keys.js";
import type { ProgramAction, ProgramCommandInput } from "./program-command.js";
import { confSource, readSettings, type SupervisorSettings } from "./settings.js";
import { startedCommand } from "./check-supervisor-command.js";
import { updatedCommand } from "./check-conf-command.js";
import { stopCommand } from "./task-commands.js";
import { supervisorRestart, supervisorTasks } from "./tasks.js";

/**
 * Fapistrano's "Disposability": supervisord runs the app. Before building a release each host
 * proves supervisord answers; once the release is live everywhere (`published`) the program's
 * conf is linked from the new release and the program restarted, and with check_status the
 * deploy waits for RUNNING and fails loudly otherwise. When a run fails after that, core puts
 * `current` back, and this plugin restarts the program on the release that is live again.
 */
export function supervisorctl(options: SupervisorctlOptions = {}): FapPlugin {
  const plugin = { name: PLUGIN_NAME, config: supervisorctlKeys(options), tasks: supervisorTasks, requires: ["supervisorctl"] };
  const actions: RuntimeActions = {
    check: (ctx) => void readSettings(ctx.config),
    async publish(ctx) {
      const settings = readSettings(ctx.config);
      await runProgram(ctx, settings, programInput(settings, releasePathOf(ctx), onDeploy(settings)));
    },
    restart: supervisorRestart,
    putBack,
  };
  return runtimePlugin(plugin, actions, tapSupervisorChecks);
}

/** Before building a release, each host proves supervisord answers; the program's conf must be in the release. */
function tapSupervisorChecks(hooks: Hooks): void {
  hooks.started.tapPromise(PLUGIN_NAME, async (ctx) => {
    if (ctx.flow !== "deploy" && ctx.flow !== "rollback") return;
    const settings = readSettings(ctx.config);
    const target = settings.conf === undefined ? undefined : settings.target;
    const result = await ctx.run(startedCommand({ ctl: settings.ctl, target }), { allowFailure: true, quiet: true });
    if (result.exitCode === 0 || ctx.dryRun) return;
    const reason = lastNonEmptyLine(result.stderr) ?? `exit code ${result.exitCode}`;
    if (result.exitCode === EXIT.TARGET_DIR_MISSING) {
      throw new FapError("E_CONFIG", `supervisor_target ${settings.target}: ${reason}`, {
        host: ctx.host,
        hint: "is supervisor installed? set supervisor_target to a file in a directory that supervisord includes",
      });
    }
    throw new FapError("E_COMMAND_FAILED", `cannot reach supervisord with ${settings.ctl.join(" ")}: ${reason}`, {
      host: ctx.host,
      hint: "is supervisord running? point supervisorctl at it with supervisor_config or supervisor_server_url",
      details: { exitCode: result.exitCode, stderr: result.stderr },
    });
  });

  // The conf comes with the release (or from shared/, linked by core's updated tap before this one).
  const checkConf = async (ctx: HostContext) => {
    const settings = readSettings(ctx.config);
    if (settings.conf === undefined) return;
    const source = confSource(settings.conf, releasePathOf(ctx));
    const result = await ctx.run(updatedCommand(source), { allowFailure: true, quiet: true });
    if (result.exitCode === 0 || ctx.dryRun) return;
    throw new FapError("E_CONFIG", `supervisor_conf: ${source} does not exist`, {
      host: ctx.host,
      hint: "commit the program's conf (configs/supervisor_<stage>_<role>.conf), keep it in shared/ with linked_files, or set supervisor_conf",
    });
  };
  hooks.updated.tapPromise(PLUGIN_NAME, async (ctx) => {
    if (ctx.flow === "deploy") await checkConf(ctx);
  });
  hooks.reverted.tapPromise(PLUGIN_NAME, async (ctx) => {
    if (ctx.flow === "rollback") await checkConf(ctx);
  });
}

/** What a deploy or rollback does once the release is live: Fapistrano's refresh wins over restart. */
function onDeploy(settings: SupervisorSettings): ProgramAction {
  return settings.refresh ? "refresh" : settings.restart ? "restart" : "none";
}

function programInput(settings: SupervisorSettings, releasePath: string, action: ProgramAction): ProgramCommandInput {
  return {
    ctl: settings.ctl,
    program: settings.program,
    group: settings.group,
    link: settings.conf === undefined ? undefined : { source: confSource(settings.conf, releasePath), target: settings.target },
    action,
    checkTimeout: settings.checkStatus ? settings.checkTimeout : undefined,
  };
}

/**
 * After a failed run where core put `current` back: link the live release's conf and restart
 * the program on it; with no live release (a first deploy undone), stop the program and remove
 * the conf link.
 */
function putBack(ctx: HostContext): PutBackActions {
  const settings = readSettings(ctx.config);
  return {
    name: settings.program,
    async restart(live) {
      await runProgram(ctx, settings, programInput(settings, `${ctx.paths.releases}/${live}`, onDeploy(settings)));
      return `${settings.program} runs release ${live} again`;
    },
    async stop() {
      const unlink = settings.conf === undefined ? undefined : settings.target;
      await ctx.run(stopCommand(settings.ctl, settings.program, unlink), { allowFailure: true, quiet: true });
      return `stopped ${settings.program}: no release is live`;
    },
  };
}

function releasePathOf(ctx: HostContext): string {
  const releasePath = ctx.paths.release;
  if (releasePath === undefined) throw new FapError("E_PLUGIN", "this run has no release", { host: ctx.host });
  return releasePath;
}
