import { FapError, type ExecResult, type HostContext } from "@fap/core";
import { lastLogLine, lastNonEmptyLine } from "@fap/core/internal";
import { formatProcess, parseWaitOutput, type WaitOutput } from "./output.js";
import { EXIT, generatedEcosystem, reloadCommand } from "./reload-command.js";
import type { Pm2Settings } from "./settings.js";

/**
 * Starts or reloads the app from `current` on the host and waits until it stays online; logs
 * one line per process, or throws an error that says what pm2 reports and how the app's log
 * ends (its last lines are logged too, as warnings).
 */
export async function runReload(ctx: HostContext, settings: Pm2Settings): Promise<void> {
  const current = ctx.paths.current;
  const stdin = settings.ecosystem === undefined ? generatedEcosystem(settings, current) : undefined;
  const result = await ctx.run(reloadCommand(settings, current), {
    allowFailure: true,
    quiet: true,
    ...(stdin === undefined ? {} : { stdin }),
    // The wait, plus pm2's own start-up and the round trip.
    timeoutMs: (settings.timeout + settings.minUptime + 60) * 1000,
  });
  if (ctx.dryRun) return;
  const output = parseWaitOutput(result.stdout);
  if (result.exitCode === 0 && output.result === "ok") {
    for (const p of output.states) ctx.log(formatProcess(settings.name, p));
    return;
  }
  for (const log of output.logs) {
    ctx.log(`${log.name} ends with:`, "warn");
    for (const line of log.lines) ctx.log(`  ${line}`, "warn");
  }
  throw reloadFailure(ctx.host, settings, result, output);
}

export function reloadFailure(host: string, settings: Pm2Settings, result: ExecResult, output: WaitOutput): FapError {
  const { name } = settings;
  const details = { exitCode: result.exitCode, stderr: result.stderr, processes: output.states };
  const said = lastNonEmptyLine(result.stderr) ?? `exit code ${result.exitCode ?? result.signal}`;
  const states = output.states.map((p) => formatProcess(name, p)).join("; ");
  const lastLog = lastLogLine(output.logs);
  const why = [states, lastLog && `its log ends with: ${lastLog.trim()}`].filter(Boolean).join("; ");
  const hint = `see the app's logs on the host (pm2 logs ${name}); fix the app, or give it longer with pm2_timeout`;
  if (result.exitCode === EXIT.ECOSYSTEM_MISSING) {
    return new FapError("E_CONFIG", `pm2_ecosystem: ${said}`, { host, hint: "commit the ecosystem file, or set pm2_ecosystem to where it is in the release", details });
  }
  if (result.exitCode === EXIT.NO_NODE) {
    return new FapError("E_COMMAND_FAILED", "node is not on the PATH of the host's ssh sessions", { host, hint: "install Node.js on the host, or put it on the PATH of non-interactive ssh sessions", details });
  }
  if (result.exitCode === EXIT.PM2_FAILED) {
    return new FapError("E_COMMAND_FAILED", `pm2 startOrReload ${name} failed: ${said}`, { host, hint: "check pm2_bin (is pm2 installed on the host?), pm2_home and the ecosystem", details });
  }
  if (result.exitCode !== 0 || output.result === undefined) {
    return new FapError("E_COMMAND_FAILED", `pm2 failed: ${said}`, { host, hint: "check pm2_bin: is pm2 installed on the host (npm install -g pm2)?", details });
  }
  switch (output.result) {
    case "crashed":
      return new FapError("E_COMMAND_FAILED", `${name} does not stay online under pm2: ${why}`, { host, hint, details });
    case "stale":
      return new FapError("E_CONFIG", `pm2 still runs ${name} from another release: ${states}`, {
        host,
        hint: "the ecosystem's script and cwd must be relative (or go through current), not from __dirname: pm2 keeps an app's paths across reloads",
        details,
      });
    case "missing":
      return new FapError("E_CONFIG", `pm2 has no app named ${name} after startOrReload`, { host, hint: "pm2_name must be the name of an app of pm2_ecosystem", details });
    default:
      return new FapError("E_COMMAND_TIMEOUT", `${name} was not online for ${settings.minUptime} s within ${settings.timeout} s${why ? `: ${why}` : ""}`, { host, hint, details });
  }
}
