import { FapError, readKeys, requireKey } from "@fap/core";
import { HEALTHCHECK_KEYS } from "./keys.js";

export interface HealthcheckSettings {
  url: string;
  timeout: number;
  interval: number;
  status: number;
}

/** The plugin's keys for one host, checked: a bad value stops the deploy before anything is created. */
export function readSettings(config: Readonly<Record<string, unknown>>): HealthcheckSettings {
  // Typed and checked against HEALTHCHECK_KEYS (numbers above 0, a status of 100-599).
  const keys = readKeys(config, HEALTHCHECK_KEYS);
  const url = requireKey(keys, "healthcheck_url", "set healthcheck_url to what each host should answer 200 for, e.g. http://127.0.0.1:8000/health");
  if (!/^https?:\/\/[^\s]+$/i.test(url)) {
    throw new FapError("E_CONFIG", `healthcheck_url '${url}' is not an http:// or https:// URL`, {
      hint: "e.g. healthcheck_url: http://127.0.0.1:8000/health",
    });
  }
  return { url, timeout: keys.healthcheck_timeout, interval: keys.healthcheck_interval, status: keys.healthcheck_status };
}
