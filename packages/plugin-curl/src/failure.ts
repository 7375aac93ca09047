import { FapError, redactor, type ExecResult } from "@fap/core";
import { lastNonEmptyLine } from "@fap/core/internal";
import { CURL_RETRIES } from "./download-command.js";
import type { CurlSettings } from "./settings.js";

/**
 * The error for a download step that exited non-zero, saying which step failed and why in
 * one line: the HTTP status, curl's own message, or tar's. The URL is the one without
 * credentials, and any trace of curl_user (as written, its password, base64) is masked.
 */
export function downloadError(result: ExecResult, settings: CurlSettings, host: string): FapError {
  const hide = secretMask(settings.user);
  const lines = hide(result.stderr).split("\n").map((line) => line.trim()).filter(Boolean);
  const base = { host, details: { exitCode: result.exitCode, stderr: lines.join("\n") } };

  const http = lines.map((line) => /^curl: \(22\) .*returned error: (\d{3})/.exec(line)?.[1]).find(Boolean);
  if (http !== undefined) {
    return new FapError("E_COMMAND_FAILED", `cannot download ${settings.url}: HTTP ${http}`, { ...base, hint: httpHint(Number(http), settings) });
  }
  const curl = lines.find((line) => /^curl: \(\d+\)/.test(line));
  if (curl !== undefined) {
    return new FapError("E_COMMAND_FAILED", `cannot download ${settings.url}: ${curl}`, {
      ...base,
      hint: `curl tried ${CURL_RETRIES + 1} times, ${settings.maxTime} s each (curl_max_time); check that this host reaches the server`,
    });
  }
  if (result.exitCode === 127 && lines.some((line) => /curl: (command )?not found/.test(line))) {
    return new FapError("E_COMMAND_FAILED", "curl is not installed on this host", { ...base, hint: "install it, e.g. apt-get install curl" });
  }
  const tar = lines.find((line) => line.startsWith("tar: "));
  if (tar !== undefined) {
    const flag = settings.extract === "tgz" ? "curl_extract_tgz" : "curl_extract_tar";
    return new FapError("E_COMMAND_FAILED", `cannot extract ${settings.output} from ${settings.url}: ${tar}`, {
      ...base,
      hint: `${flag} is set: is the artifact a ${settings.extract === "tgz" ? "gzipped tar (.tgz, .tar.gz)" : "tar"}?`,
    });
  }
  const last = lines.at(-1);
  return new FapError("E_COMMAND_FAILED", `downloading ${settings.url} failed with exit code ${result.exitCode ?? result.signal}${last ? `: ${last}` : ""}`, base);
}

/**
 * The post-install script's failure: its exit code and the last line of its stderr, or of its
 * stdout when it wrote nothing to stderr (many scripts report everything on stdout).
 */
export function postinstallError(result: ExecResult, settings: CurlSettings, host: string): FapError {
  const hide = secretMask(settings.user);
  const stderr = hide(result.stderr.trim());
  const last = lastNonEmptyLine(stderr) ?? lastNonEmptyLine(hide(result.stdout));
  return new FapError(
    "E_COMMAND_FAILED",
    `curl_postinstall_script '${settings.postinstallScript}' exited with ${result.exitCode ?? result.signal}${last ? `: ${last}` : ""}`,
    { host, details: { exitCode: result.exitCode, stderr }, hint: "it runs in the release directory, after the download and extraction" },
  );
}

/** Masks curl_user as written, its password alone, and the base64 that goes into an Authorization header. */
export function secretMask(user: string | undefined): (text: string) => string {
  if (user === undefined) return (text) => text;
  const password = user.slice(user.indexOf(":") + 1);
  return redactor([user, password, Buffer.from(user).toString("base64")]);
}

function httpHint(status: number, settings: CurlSettings): string {
  if (status === 401 || status === 403) {
    return settings.user === undefined ? "the server wants credentials: set curl_user (user:password)" : "the server refused curl_user";
  }
  if (status === 404 || status === 410) return "nothing is at that URL: check curl_url (--curl-url=...)";
  if (status >= 500) return `the server failed; curl tried ${CURL_RETRIES + 1} times`;
  return "check curl_url and the server";
}
