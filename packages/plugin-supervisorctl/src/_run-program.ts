import { FapError, type ExecResult, type HostContext } from "@fap/core";
import { lastNonEmptyLine } from "@fap/core/internal";
import { EXIT } from "./_script.js";
import { formatStatus, parseProgramOutput, type ProgramOutput, type ProgramStatus } from "./output.js";
import { programCommand, type ProgramCommandInput } from "./program-command.js";
import type { SupervisorSettings } from "./settings.js";

/** Lines of a failed process's log shown with the error. */
const LOG_LINES = 20;

/**
 * Runs `programCommand` on the host; logs supervisorctl's answers (with supervisor_output) and
 * the final status, or throws an error that says what supervisord reports and how the app's
 * log ends. The output is read whole, so that the marked sections never show as raw lines.
 */
export async function runProgram(ctx: HostContext, settings: SupervisorSettings, input: ProgramCommandInput): Promise<ProgramStatus[]> {
  const result = await ctx.run(programCommand(input), { allowFailure: true, quiet: true });
  if (ctx.dryRun) return [];
  const output = parseProgramOutput(result.stdout);
  if (settings.output) for (const line of output.lines.filter(isNews)) ctx.log(line);
  if (result.exitCode === 0) {
    for (const status of output.status ?? []) ctx.log(formatStatus(status));
    return output.status ?? [];
  }
  for (const log of output.logs) {
    ctx.log(`${log.name}'s log ends with:`, "warn");
    for (const line of log.lines.slice(-LOG_LINES)) ctx.log(`  ${line}`, "warn");
  }
  throw programFailure(ctx.host, input, result, output);
}

export function programFailure(host: string, input: ProgramCommandInput, result: ExecResult, output: ProgramOutput): FapError {
  const { program } = input;
  const details = { exitCode: result.exitCode, stderr: result.stderr, status: output.status };
  const states = output.status && output.status.length > 0 ? output.status.map(describeState).join("; ") : undefined;
  const lastLog = output.logs.map((log) => log.lines.filter((line) => line.trim() !== "").at(-1)).find(Boolean);
  const why = [states, lastLog && `its log ends with: ${lastLog.trim()}`].filter(Boolean).join("; ");
  const stderr = lastNonEmptyLine(result.stderr) ?? lastNonEmptyLine(output.lines.join("\n")) ?? `exit code ${result.exitCode ?? result.signal}`;
  const hint = "see the program's log on the host (supervisorctl tail PROGRAM stderr); fix the app or its supervisor conf";
  switch (result.exitCode) {
    case EXIT.TARGET_DIR_MISSING:
      return new FapError("E_CONFIG", `cannot link supervisor_target: ${stderr}`, {
        host,
        hint: "is supervisor installed? set supervisor_target to a file in a directory that supervisord includes",
        details,
      });
    case EXIT.CONF_MISSING:
      return new FapError("E_CONFIG", `supervisor_conf: ${stderr}`, {
        host,
        hint: "commit the program's conf (configs/supervisor_<stage>_<role>.conf), keep it in shared/ with linked_files, or set supervisor_conf",
        details,
      });
    case EXIT.LINK_FAILED:
      return new FapError("E_COMMAND_FAILED", `cannot link ${input.link?.target}: ${stderr}`, {
        host,
        hint: "the deploy user must be allowed to write supervisor_target's directory",
        details,
      });
    case EXIT.ACTION_FAILED: {
      const said = output.lines.filter((line) => line.includes("ERROR") && isNews(line)).join("; ") || lastNonEmptyLine(output.lines.join("\n"));
      const action = input.action === "refresh" ? "refresh (stop, reread, update, start) of" : "restart";
      return new FapError("E_COMMAND_FAILED", `supervisorctl ${action} ${program} failed${said ? `: ${said}` : ""}${why ? `; ${why}` : ""}`, {
        host,
        hint,
        details,
      });
    }
    case EXIT.NOT_RUNNING:
      return new FapError("E_COMMAND_FAILED", `${program} is not running${why ? `: ${why}` : ""}`, { host, hint, details });
    case EXIT.TIMEOUT:
      return new FapError("E_COMMAND_TIMEOUT", `${program} did not reach RUNNING within ${input.checkTimeout} s${why ? `: ${why}` : ""}`, {
        host,
        hint: "raise supervisor_check_timeout if the app needs longer to start (or lower its startsecs)",
        details,
      });
    default:
      return new FapError("E_COMMAND_FAILED", `supervisorctl failed: ${stderr}`, {
        host,
        hint: "check supervisor_ctl, and that supervisorctl can reach supervisord (supervisor_config, supervisor_server_url)",
        details,
      });
  }
}

/** `start` after `update` meets a program that update already started: expected, not worth a line. */
function isNews(line: string): boolean {
  return !line.endsWith("ERROR (already started)");
}

/** `app is FATAL (Exited too quickly (process log may have details))`. */
function describeState(status: ProgramStatus): string {
  if (status.state === "ERROR") return `${status.name}: ERROR ${status.description}`;
  return `${status.name} is ${status.state}${status.description ? ` (${status.description})` : ""}`;
}
