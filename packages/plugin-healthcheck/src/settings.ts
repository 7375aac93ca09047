import { FapError, readKeys } from "@fap/core";
import { HEALTHCHECK_KEYS } from "./keys.js";

export interface HealthcheckSettings {
  url: string | undefined;
  command: string | undefined;
  expectStatus: number;
  expectBody: string | undefined;
  timeout: number;
  retries: number;
  interval: number;
}

/** The plugin's keys for one host, checked: a bad value stops the deploy before anything is created. */
export function readSettings(config: Readonly<Record<string, unknown>>): HealthcheckSettings {
  const keys = readKeys(config, HEALTHCHECK_KEYS);
  const url = keys.healthcheck_url;
  const command = keys.healthcheck_command;
  if (url === undefined && command === undefined) {
    throw new FapError("E_CONFIG", "neither healthcheck_url nor healthcheck_command is set", {
      hint: "set healthcheck_url (e.g. http://127.0.0.1:8000/up) or healthcheck_command (e.g. bin/check), or remove healthcheck from plugins",
    });
  }
  if (url !== undefined && !/^https?:\/\/[^\s/]+(?:[/?#]\S*)?$/i.test(url)) {
    throw new FapError("E_CONFIG", `healthcheck_url '${displayUrl(url)}' is not an http:// or https:// URL`, {
      hint: "e.g. healthcheck_url: http://127.0.0.1:8000/up",
    });
  }
  return {
    url,
    command,
    expectStatus: keys.healthcheck_expect_status,
    expectBody: keys.healthcheck_expect_body,
    timeout: keys.healthcheck_timeout,
    retries: keys.healthcheck_retries,
    interval: keys.healthcheck_interval,
  };
}

/** The URL as fap shows it: a password in it (`http://user:pw@host/`) becomes `***`. */
export function displayUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:\s]*):[^/@\s]*@/i, "$1:***@");
}
