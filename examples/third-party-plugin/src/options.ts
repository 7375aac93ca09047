import { FapError, type KeySpecs } from "@fap/core";
import { PLUGIN_NAME } from "./name.js";

/** Typed options for deploy.config.ts; each becomes the default of the key of the same meaning. */
export interface HealthcheckOptions {
  /** `healthcheck_url`: what to GET on each host, e.g. "http://127.0.0.1:8000/health". */
  url?: string;
  /** `healthcheck_timeout`: seconds to wait for the expected answer. */
  timeout?: number;
  /** `healthcheck_interval`: seconds between two tries. */
  interval?: number;
  /** `healthcheck_status`: the HTTP status that means healthy. */
  status?: number;
}

// deploy.config.ts learns the plugin's keys.
declare module "@fap/core" {
  interface ConfigValues {
    healthcheck_url?: string;
    healthcheck_timeout?: number;
    healthcheck_interval?: number;
    healthcheck_status?: number;
  }
}

/** The keys the plugin reads, with the factory's options as their defaults. */
export function healthcheckKeys(options: HealthcheckOptions = {}): KeySpecs {
  checkOptions(options);
  return {
    healthcheck_url: {
      type: "string",
      default: options.url,
      description: "URL each host GETs (with curl, on the host) after the new release is published",
    },
    healthcheck_timeout: {
      type: "number",
      default: options.timeout ?? 30,
      description: "seconds to wait for the expected status before the deploy fails and every host is switched back",
    },
    healthcheck_interval: {
      type: "number",
      default: options.interval ?? 1,
      description: "seconds between two tries",
    },
    healthcheck_status: {
      type: "number",
      default: options.status ?? 200,
      description: "HTTP status that means the app is up",
    },
  };
}

function checkOptions(options: HealthcheckOptions): void {
  const bad = (message: string) =>
    new FapError("E_CONFIG", `[${PLUGIN_NAME}] options: ${message}`, {
      hint: "e.g. healthcheck({ url: 'http://127.0.0.1:8000/health', timeout: 30 })",
    });
  if (typeof options !== "object" || options === null) throw bad("expected an object of options");
  if (options.url !== undefined && typeof options.url !== "string") throw bad(`url must be a string, got ${typeof options.url}`);
  for (const name of ["timeout", "interval"] as const) {
    const value = options[name];
    if (value !== undefined && !(typeof value === "number" && value > 0)) throw bad(`${name} must be a number of seconds above 0, got ${String(value)}`);
  }
  if (options.status !== undefined && !isStatus(options.status)) throw bad(`status must be an HTTP status (100-599), got ${String(options.status)}`);
}

export function isStatus(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 100 && (value as number) <= 599;
}
