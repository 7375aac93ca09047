import { refuseSymlinks, sh } from "@fap/core";
import type { CurlSettings } from "./settings.js";

/** Times curl tries again after a transient failure (timeout, 408, 429, 5xx); 4xx fail at once. */
export const CURL_RETRIES = 3;

/**
 * One round trip, run in the release directory: downloads the artifact (following redirects,
 * retrying transient failures, failing on an HTTP error status), then extracts and removes it
 * when it is an archive. With a user, curl reads `--config -`, so the password comes from
 * stdin (see `curlConfig`) and is on no command line.
 */
export function downloadCommand(settings: Pick<CurlSettings, "url" | "user" | "output" | "options" | "extract" | "maxTime">): string {
  const { url, output, options, extract, maxTime } = settings;
  const args = [
    ...["--fail", "--location", "--retry", CURL_RETRIES, "--max-time", maxTime, "--silent", "--show-error", "--create-dirs"],
    ...(settings.user === undefined ? [] : ["--config", "-"]),
    ...options,
    ...["--output", output, "--url", url],
  ];
  // Run in the release, which the checkout may have filled: curl would write through a symlink
  // on the way to `output` (or at it), so the first is refused and the second removed.
  const guard = refuseSymlinks(".", output, { what: `curl_output '${output}'`, where: "the release" });
  const lines = ["set -e", ...(guard ? [guard] : []), sh`test ! -L ${output} || rm -f ${output}`, sh`curl ${args}`];
  if (extract !== undefined) {
    lines.push(sh`tar ${extract === "tgz" ? "-xzf" : "-xf"} ${output} --no-same-owner`, sh`rm -f ${output}`);
  }
  return lines.join("\n");
}

/**
 * What curl reads from stdin with `--config -`: the user in curl's config syntax, where a
 * double-quoted value takes backslash escapes. readSettings has refused control characters.
 */
export function curlConfig(user: string): string {
  return `user = "${user.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"\n`;
}
