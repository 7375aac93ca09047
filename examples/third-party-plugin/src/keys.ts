import { aboveZero, defineKeys, httpStatus, key, keySpecsFactory, type ConfigValuesOf, type KeyOptions } from "@fap/core";
import { PLUGIN_NAME } from "./name.js";

/** Typed options for deploy.config.ts; each becomes the default of the key of the same meaning. */
export type HealthcheckOptions = KeyOptions<typeof HEALTHCHECK_KEYS>;
// deploy.config.ts learns the plugin's keys, at the top level, per stage and per role.
declare module "@fap/core" { interface ConfigValues extends ConfigValuesOf<typeof HEALTHCHECK_KEYS> {} }

/**
 * Every key the plugin reads, declared once: the specs fap checks values against, the typed
 * factory options, the keys deploy.config.ts knows and the README's key table come from here.
 */
export const HEALTHCHECK_KEYS = defineKeys(
  {
    healthcheck_url: key.string({ option: "url", defaultDoc: "required", description: "URL each host GETs (with curl, on the host) after the new release is published" }),
    healthcheck_timeout: key.number({ option: "timeout", default: 30, check: aboveZero, description: "seconds to wait for the expected status" }),
    healthcheck_interval: key.number({ option: "interval", default: 1, check: aboveZero, description: "seconds between two tries" }),
    healthcheck_status: key.number({ option: "status", default: 200, check: httpStatus, description: "the HTTP status that means the app is up" }),
  },
  // The docs table's meaning, where it says more than the description.
  {
    healthcheck_url: "what each host GETs, with curl, on the host itself (so `127.0.0.1` is the host)",
  },
);

/** The keys the plugin reads, with the factory's options as their defaults (checked: a bad option throws). */
export const healthcheckKeys = keySpecsFactory(PLUGIN_NAME, HEALTHCHECK_KEYS);
