import { readKeys, toKeySpecs, type FapPlugin, type RunContext, type RunSummary } from "@fap/core";
import { NOTIFY_KEYS, type NotifyOptions } from "./keys.js";
import { notifyMessage } from "./message.js";
import { PLUGIN_NAME } from "./name.js";
import { postJson } from "./post.js";
import { slackMessage } from "./slack.js";

/**
 * Posts one message per run (deploy, rollback, restart, task), however it ended, to
 * `notify_url`. It taps `completed`, called once per run after `succeeded` or `failed`, with
 * the summary of every target: a host hook would run once per host and never hear of a run
 * that failed before publishing.
 */
export function notify(options: NotifyOptions = {}): FapPlugin {
  return {
    name: PLUGIN_NAME,
    config: toKeySpecs(PLUGIN_NAME, NOTIFY_KEYS, options),
    apply({ hooks }) {
      hooks.completed.tapPromise(PLUGIN_NAME, (summary, run) => send(summary, run));
    },
  };
}

async function send(summary: RunSummary, run: RunContext): Promise<void> {
  // The first target's resolved config: the URL may be set per stage (run.config is unresolved).
  const { notify_url: url, notify_format: format, notify_timeout: timeout } = readKeys(summary.targets[0]?.config ?? run.config, NOTIFY_KEYS);
  if (url === undefined) return;
  const say = (level: "info" | "warn", message: string) => run.events.emit("log", { level, message: `notify: ${message}` });
  if (summary.dryRun) return void say("info", `would POST the run's outcome to notify_url (${format})`);
  const body = format === "slack" ? slackMessage(summary) : notifyMessage(summary);
  const posted = await postJson(url, body, timeout * 1000);
  // A notification that cannot be sent never fails the run: a warning, and the exit code stays.
  if (!posted.ok) say("warn", `could not POST to notify_url: ${posted.reason} (the run's result is unchanged)`);
}
