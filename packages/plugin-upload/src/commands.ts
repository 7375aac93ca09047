import { sh } from "@fap/core";
import { MANIFEST_NAME } from "./manifest.js";

/** Prints the manifest of `release` if it has one (a regular file, not a link): read-only, also under --dry-run. */
export function readManifestCommand(release: string): string {
  const file = `${release}/${MANIFEST_NAME}`;
  return sh`if test -f ${file} && ! test -L ${file}; then cat ${file}; fi`;
}

/**
 * Unpacks the stream on stdin in the releases folder: its members are `<new id>/<path>`, and
 * hard links to `<previous id>/<path>` (see HostPlan). Modes as sent (-p), files owned by
 * the deploy user. tar unlinks a file before writing it, so it never writes through a link.
 */
export function extractCommand(releases: string): string {
  return sh`tar -x -p --no-same-owner -f - -C ${releases}`;
}
