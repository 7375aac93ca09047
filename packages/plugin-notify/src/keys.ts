import { aboveZero, defineKeys, key, type ConfigValuesOf, type KeyOptions } from "@fap/core";

/** Typed options for deploy.config.ts; each becomes the default of its key. */
export type NotifyOptions = KeyOptions<typeof NOTIFY_KEYS>;
// deploy.config.ts learns the plugin's keys.
declare module "@fap/core" { interface ConfigValues extends ConfigValuesOf<typeof NOTIFY_KEYS> {} }

/** Every key the plugin reads, declared once: specs, options, deploy.config.ts types and the docs table. */
export const NOTIFY_KEYS = defineKeys(
  {
    notify_url: key.string({ option: "url", secret: true, defaultDoc: "unset: nothing is sent", description: "URL each run's outcome is POSTed to, once per run (a secret: write env:NAME)" }),
    notify_format: key.oneOf(["json", "slack"], { option: "format", default: "json", description: "json: fap's summary; slack: a Slack incoming-webhook message" }),
    notify_timeout: key.number({ option: "timeout", default: 10, check: aboveZero, description: "seconds the POST may take before fap gives up on it (a warning)" }),
  },
  // The docs table's meaning, where it says more than the description.
  {
    notify_url: "URL each run's outcome is POSTed to, once per run, from the machine running fap. A secret (a webhook URL is a credential): write `env:NOTIFY_URL`",
    notify_format: "`json`: fap's summary of the run; `slack`: a Slack incoming-webhook message (`{ text, blocks }`)",
  },
);

