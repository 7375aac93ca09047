import { FapError, type FapPlugin, type HostContext } from "@fap/core";
import { lastNonEmptyLine, releasePlugin } from "@fap/core/internal";
import { checkCommand, parseAnswer, type CheckAnswer } from "./check-command.js";
import { healthcheckKeys, type HealthcheckOptions } from "./keys.js";
import { PLUGIN_NAME } from "./name.js";
import { displayUrl, readSettings, type HealthcheckSettings } from "./settings.js";

/**
 * Checks the app on each host once its new release is live: core calls `checking` after each
 * batch's `published` (so after the runtime plugins restarted the app, and after the config's
 * `published` commands), and again after a canary's wait. A host that stays unhealthy fails
 * `checking`, and core then puts every host back on the release it had, earlier batches too;
 * the runtime plugins restart the app there. Rollbacks are not checked.
 */
export function healthcheck(options: HealthcheckOptions = {}): FapPlugin {
  // Either will do; healthcheck_command's own programs are in the release, which doctor cannot see.
  const plugin = { name: PLUGIN_NAME, config: healthcheckKeys(options), requires: ["curl|wget"] };
  return releasePlugin(plugin, (ctx) => readSettings(ctx.config), (hooks) => {
    hooks.checking.tapPromise(PLUGIN_NAME, async (ctx) => {
      if (ctx.flow === "deploy" || ctx.flow === "restart") await check(ctx, readSettings(ctx.config));
    });
  });
}

async function check(ctx: HostContext, settings: HealthcheckSettings): Promise<void> {
  const started = Date.now();
  const { timeout, retries, interval } = settings;
  const result = await ctx.run(checkCommand(settings, ctx.paths.release ?? ctx.paths.current, ctx.release.id ?? ""), {
    stdin: `${settings.url ?? ""}\n`,
    quiet: true,
    allowFailure: true,
    readOnly: false,
    // Every try may take its whole timeout, plus the waits between them, plus the round trip.
    timeoutMs: Math.ceil((retries + 1) * (timeout + interval) + 30) * 1000,
  });
  if (ctx.dryRun) return;
  const answer = parseAnswer(result.stdout);
  const what = describeCheck(settings);
  if (answer === undefined) {
    throw new FapError("E_COMMAND_FAILED", `the health check could not run (exit ${result.exitCode}): ${lastNonEmptyLine(result.stderr) ?? "no output"}`, {
      host: ctx.host,
      details: { exitCode: result.exitCode, stderr: result.stderr },
    });
  }
  const took = `${tries(answer.tries)}, ${((Date.now() - started) / 1000).toFixed(1)} s`;
  if (answer.result === "ok") {
    ctx.log(`${what} healthy (${took})`);
    return;
  }
  if (answer.result === "no-client") {
    throw new FapError("E_COMMAND_FAILED", "neither curl nor wget is installed on this host", {
      host: ctx.host,
      hint: "install curl on the hosts (apt-get install curl), or check with healthcheck_command instead of healthcheck_url",
    });
  }
  const message = `unhealthy after ${took}: ${lastAnswer(settings, answer)}`;
  ctx.record({ healthcheck: message });
  throw new FapError("E_COMMAND_FAILED", message, {
    host: ctx.host,
    hint: `check the app's logs on ${ctx.host}; give it longer with healthcheck_retries or healthcheck_interval`,
    details: { unhealthy: true, status: answer.status, line: answer.line, tries: answer.tries },
  });
}

/** `http://127.0.0.1:8000/up` and/or `` `bin/check` ``, as the log line says it. */
function describeCheck(settings: HealthcheckSettings): string {
  return [settings.url && displayUrl(settings.url), settings.command && `\`${settings.command}\``].filter(Boolean).join(" and ");
}

/** The last response, in one line: its status and the body's first line (or why nothing answered). */
function lastAnswer(settings: HealthcheckSettings, answer: CheckAnswer): string {
  const line = settings.url ? answer.line.split(settings.url).join(displayUrl(settings.url)) : answer.line;
  const quoted = line === "" ? "" : `: ${JSON.stringify(line)}`;
  if (answer.status === "command") return `\`${settings.command}\` failed${quoted}`;
  const url = displayUrl(settings.url ?? "");
  if (answer.status === "000") return `${url} did not answer${quoted}`;
  return `${url} answered ${answer.status}${answer.status === String(settings.expectStatus) ? ` without ${JSON.stringify(settings.expectBody)} in its body` : `, not ${settings.expectStatus}`}${quoted}`;
}

function tries(count: number): string {
  return `${count} ${count === 1 ? "try" : "tries"}`;
}
