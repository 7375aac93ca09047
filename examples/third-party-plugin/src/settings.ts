import { FapError } from "@fap/core";
import { isStatus } from "./options.js";

export interface HealthcheckSettings {
  url: string;
  timeout: number;
  interval: number;
  status: number;
}

/** The plugin's keys for one host, checked: a bad value stops the deploy before anything is created. */
export function readSettings(config: Readonly<Record<string, unknown>>): HealthcheckSettings {
  const url = config.healthcheck_url;
  if (typeof url !== "string" || url === "") {
    throw new FapError("E_CONFIG", "healthcheck_url is not set", {
      hint: "set healthcheck_url to what each host should answer 200 for, e.g. http://127.0.0.1:8000/health",
    });
  }
  if (!/^https?:\/\/[^\s]+$/i.test(url)) {
    throw new FapError("E_CONFIG", `healthcheck_url '${url}' is not an http:// or https:// URL`, {
      hint: "e.g. healthcheck_url: http://127.0.0.1:8000/health",
    });
  }
  const seconds = (key: string): number => {
    const value = Number(config[key]);
    if (!(Number.isFinite(value) && value > 0)) {
      throw new FapError("E_CONFIG", `${key} must be a number of seconds above 0, got ${String(config[key])}`, {
        hint: `e.g. ${key}: 5`,
      });
    }
    return value;
  };
  const status = Number(config.healthcheck_status);
  if (!isStatus(status)) {
    throw new FapError("E_CONFIG", `healthcheck_status must be an HTTP status (100-599), got ${String(config.healthcheck_status)}`, {
      hint: "e.g. healthcheck_status: 200",
    });
  }
  return { url, timeout: seconds("healthcheck_timeout"), interval: seconds("healthcheck_interval"), status };
}
