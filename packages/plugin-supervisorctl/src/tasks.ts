import { FapError, task, type HostContext, type Task } from "@fap/core";
import { runProgram } from "./_run-program.js";
import { formatStatus, parseStatus, type ProgramStatus } from "./output.js";
import { readSettings } from "./settings.js";
import { statusCommand, stopCommand } from "./task-commands.js";

/**
 * What supervisord reports for supervisor_program on this host, logged line by line. A
 * program that is not running is reported, not thrown; a supervisord that cannot be reached,
 * or that knows no such program, is an error.
 */
export async function supervisorStatus(ctx: HostContext): Promise<ProgramStatus[]> {
  const settings = readSettings(ctx.config);
  const result = await ctx.run(statusCommand(settings.ctl, settings.program), { allowFailure: true, quiet: true });
  const statuses = parseStatus(result.stdout).filter((status) => status.state !== "ERROR");
  // 0: every process is running; 3: some are not. Anything else: no answer about the program.
  if (!ctx.dryRun && result.exitCode !== 0 && result.exitCode !== 3) {
    const said = `${result.stdout}\n${result.stderr}`.split("\n").map((line) => line.trim()).filter(Boolean).at(-1);
    throw new FapError("E_COMMAND_FAILED", `supervisorctl status ${settings.program} failed: ${said ?? `exit code ${result.exitCode}`}`, {
      host: ctx.host,
      hint: "check supervisor_program, and that supervisorctl reaches supervisord (supervisor_config, supervisor_server_url)",
      details: { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr },
    });
  }
  for (const status of statuses) ctx.log(formatStatus(status));
  return statuses;
}

/**
 * Restarts supervisor_program (stop, reread, update, start with supervisor_refresh) and, with
 * supervisor_check_status, waits for RUNNING. What `fap run restart` does on each host.
 */
export async function supervisorRestart(ctx: HostContext): Promise<ProgramStatus[]> {
  const settings = readSettings(ctx.config);
  return runProgram(ctx, settings, {
    ctl: settings.ctl,
    program: settings.program,
    group: settings.group,
    link: undefined,
    action: settings.refresh ? "refresh" : "restart",
    checkTimeout: settings.checkStatus ? settings.checkTimeout : undefined,
  });
}

/** Stops supervisor_program; one that is not running stays stopped. */
export async function supervisorStop(ctx: HostContext): Promise<void> {
  const settings = readSettings(ctx.config);
  const result = await ctx.run(stopCommand(settings.ctl, settings.program), { allowFailure: true, quiet: true });
  const lines = result.stdout.split("\n").map((line) => line.trim()).filter(Boolean);
  if (!ctx.dryRun && (result.exitCode !== 0 || lines.some((line) => /ERROR \(no such (process|group)\)/.test(line)))) {
    throw new FapError("E_COMMAND_FAILED", `supervisorctl stop ${settings.program} failed: ${lines.at(-1) ?? result.stderr.trim()}`, {
      host: ctx.host,
      details: { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr },
    });
  }
  for (const line of lines) ctx.log(line);
}

/** The plugin's tasks: `fap run supervisor:status`, or named at a hook (`hooks: { finished: [supervisor:status] }`). */
export const supervisorTasks: Readonly<Record<"supervisor:status" | "supervisor:restart" | "supervisor:stop", Task>> = {
  "supervisor:status": task({ description: "show what supervisord reports for supervisor_program", run: supervisorStatus }),
  "supervisor:restart": task({
    description: "restart supervisor_program (with supervisor_check_status: wait until it runs)",
    run: supervisorRestart,
  }),
  "supervisor:stop": task({ description: "stop supervisor_program", run: supervisorStop }),
};
