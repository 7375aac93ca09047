import { defineKeys, key, readKeys, toKeySpecs, type ConfigValuesOf, type FapPlugin, type KeyOptions, type RunSummary } from "@fap/core";

const PLUGIN_NAME = "notify";

export const KEYS = defineKeys({
  notify_url: key.string({ option: "url", secret: true, description: "URL each run's outcome is POSTed to, as JSON" }),
});

declare module "@fap/core" {
  interface ConfigValues extends ConfigValuesOf<typeof KEYS> {}
}

/** One message per run: how it ended, and what each host holds now, in the words of fap's summary. */
export function message(summary: RunSummary) {
  const what = summary.task === undefined ? summary.flow : `task ${summary.task}`;
  return {
    text: `${what} ${summary.ok ? "succeeded" : "FAILED"} (${summary.deployId}), run by ${summary.deployer} on ${summary.machine}`,
    ok: summary.ok,
    error: summary.error?.message,
    hosts: summary.targets.map((t) => ({
      host: t.host, stage: t.stage, role: t.role, release: t.release, revision: t.revision,
      result: t.result, note: t.note, seconds: t.durationMs / 1000,
    })),
  };
}

export default function notify(options: KeyOptions<typeof KEYS> = {}): FapPlugin {
  return {
    name: PLUGIN_NAME,
    config: toKeySpecs(PLUGIN_NAME, KEYS, options),
    apply({ hooks }) {
      // `completed` comes once per run, after `succeeded` or `failed`: one message either way.
      hooks.completed.tapPromise(PLUGIN_NAME, async (summary, run) => {
        const url = readKeys(summary.targets[0]?.config ?? {}, KEYS).notify_url;
        if (url === undefined) return;
        if (summary.dryRun) return run.events.emit("log", { level: "info", message: `would notify ${url}` });
        const body = JSON.stringify(message(summary));
        const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
        if (!response.ok) throw new Error(`${url} answered ${response.status}`);
      });
    },
  };
}
