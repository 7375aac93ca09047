import { sh } from "@fap/core";
import type { HealthcheckSettings } from "./settings.js";

/** Exit code of the check when curl is missing on the host (the shell's own "not found"). */
export const NO_CURL_EXIT = 127;
/** Exit code of the check when the URL did not give the expected status in time. */
export const UNHEALTHY_EXIT = 3;

/**
 * One round trip per host: GET `url` with curl on the host until it answers `status` or
 * `timeout` seconds have passed. Prints `STATUS TRIES` (the last status, 000 when nothing
 * answered, and how many tries it took) on stdout; exits UNHEALTHY_EXIT when time ran out.
 */
export function healthcheckCommand(settings: HealthcheckSettings, release: string): string {
  const { url, timeout, interval, status } = settings;
  const perTry = Math.max(1, Math.min(10, Math.ceil(timeout)));
  return [
    `command -v curl >/dev/null || { echo 'curl is not installed on this host' >&2; exit ${NO_CURL_EXIT}; }`,
    sh`deadline=$(( $(date +%s) + ${Math.ceil(timeout)} )); tries=0`,
    "while :; do",
    "  tries=$((tries + 1))",
    `  code=$(${sh`curl -s -o /dev/null -w '%{http_code}' --max-time ${perTry} -H ${`X-Fap-Release: ${release}`} -- ${url}`})`,
    sh`  if [ "$code" = ${String(status)} ]; then echo "$code $tries"; exit 0; fi`,
    `  if [ "$(date +%s)" -ge "$deadline" ]; then echo "$code $tries"; exit ${UNHEALTHY_EXIT}; fi`,
    sh`  sleep ${interval}`,
    "done",
  ].join("\n");
}

/** Reads the `STATUS TRIES` line the command printed. */
export function parseResult(stdout: string): { status: string; tries: number } | undefined {
  const match = /^(\d{3}) (\d+)$/m.exec(stdout.trim());
  return match ? { status: match[1]!, tries: Number(match[2]) } : undefined;
}
