import { FapError, type FapPlugin } from "@fap/core";
import { healthcheckCommand, NO_CURL_EXIT, parseResult, UNHEALTHY_EXIT } from "./command.js";
import { PLUGIN_NAME } from "./name.js";
import { healthcheckKeys, type HealthcheckOptions } from "./keys.js";
import { readSettings } from "./settings.js";

/**
 * After fap published a deploy (every host's `current` is the new release), GETs
 * `healthcheck_url` on each host until it answers `healthcheck_status`. A host that does not
 * answer in time fails `published`, and fap then switches every host back to the release it
 * had. Options become the defaults of the keys, so YAML, stages, roles and the command line
 * still override them.
 */
export function healthcheck(options: HealthcheckOptions = {}): FapPlugin {
  return {
    name: PLUGIN_NAME,
    config: healthcheckKeys(options),
    apply({ hooks }) {
      // Before core creates the release, so that a missing URL leaves nothing behind.
      hooks.starting.tapPromise({ name: PLUGIN_NAME, stage: -10 }, async (ctx) => {
        if (ctx.flow === "deploy") readSettings(ctx.config);
      });

      hooks.published.tapPromise(PLUGIN_NAME, async (ctx) => {
        if (ctx.flow !== "deploy") return;
        const settings = readSettings(ctx.config);
        const started = Date.now();
        const result = await ctx.run(healthcheckCommand(settings, ctx.release.id ?? ""), {
          allowFailure: true,
          quiet: true,
          // The last try may start just before the deadline and take its whole --max-time (10 s at most).
          timeoutMs: (Math.ceil(settings.timeout) + settings.interval + 20) * 1000,
        });
        if (ctx.dryRun) return;
        const answer = parseResult(result.stdout);
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        if (result.exitCode === 0 && answer) {
          ctx.log(`${settings.url} answered ${answer.status} after ${plural(answer.tries, "try", "tries")} (${seconds} s)`);
          return;
        }
        if (result.exitCode === NO_CURL_EXIT) {
          throw new FapError("E_COMMAND_FAILED", "curl is not installed on this host", {
            host: ctx.host,
            hint: "install curl on the hosts (apt-get install curl), or remove fap-plugin-healthcheck from plugins",
          });
        }
        const last = answer === undefined ? "no answer" : answer.status === "000" ? "nothing answered" : `last answer ${answer.status}`;
        ctx.record({ healthcheck: `no ${settings.status} from ${settings.url} in ${settings.timeout} s (${last})` });
        throw new FapError("E_COMMAND_FAILED", `${settings.url} did not answer ${settings.status} within ${settings.timeout} s (${last}${answer ? `, ${plural(answer.tries, "try", "tries")}` : ""})`, {
          host: ctx.host,
          hint: `check that the app starts on ${ctx.host} (its logs), or give it longer with healthcheck_timeout`,
          details: { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, unhealthy: result.exitCode === UNHEALTHY_EXIT },
        });
      });
    },
  };
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
