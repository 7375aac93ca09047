import { aboveZero, defineKeys, httpStatus, key, keySpecsFactory, wholeNumberAtLeast, type ConfigValuesOf, type KeyOptions } from "@fap/core";
import { PLUGIN_NAME } from "./name.js";

/** Typed options for deploy.config.ts; each becomes the default of its key. */
export type HealthcheckOptions = KeyOptions<typeof HEALTHCHECK_KEYS>;
// deploy.config.ts learns the plugin's keys, at the top level, per stage and per role.
declare module "@fap/core" { interface ConfigValues extends ConfigValuesOf<typeof HEALTHCHECK_KEYS> {} }

/** Every key the plugin reads, declared once: specs, options, deploy.config.ts types and the docs table come from here. */
export const HEALTHCHECK_KEYS = defineKeys(
  {
    healthcheck_url: key.string({ option: "url", description: "URL each host GETs from itself once the release is live, e.g. http://127.0.0.1:8000/up" }),
    healthcheck_command: key.string({ option: "command", description: "shell command run in the new release on each host; exit 0 means healthy" }),
    healthcheck_expect_status: key.number({ option: "expectStatus", default: 200, check: httpStatus, description: "the HTTP status that means healthy" }),
    healthcheck_expect_body: key.string({ option: "expectBody", description: "text the answer's body must contain (its first 64 KiB)" }),
    healthcheck_timeout: key.number({ option: "timeout", default: 5, check: aboveZero, description: "seconds one try (the request, or the command) may take" }),
    healthcheck_retries: key.number({ option: "retries", default: 5, check: wholeNumberAtLeast(0), description: "tries after the first failed one before the host counts as unhealthy" }),
    healthcheck_interval: key.number({ option: "interval", default: 2, check: aboveZero, description: "seconds between two tries" }),
  },
  // The docs table's meaning, where it says more than the description.
  {
    healthcheck_url: "what each host GETs **from itself** (with curl, else wget) once the release is live, so `127.0.0.1` is the host and no port needs opening: `http://127.0.0.1:8000/up`. Sent over stdin, never on a command line fap prints; a password in it is shown as `***`",
    healthcheck_command: "a shell command run in the new release on each host (`bin/check`, `python3 manage.py check`); exit 0 means healthy. With `healthcheck_url` too, both must pass",
  },
);

/** The keys the plugin reads, with the factory's options as their defaults (a bad option throws). */
export const healthcheckKeys = keySpecsFactory(PLUGIN_NAME, HEALTHCHECK_KEYS);
