import { sh } from "@fap/core";

/**
 * One round trip per host: the bundle arrives on stdin and is extracted into the release,
 * over what the release already holds at that place (files of the same name are replaced).
 */
export function shipCommand(releasePath: string, target: string): string {
  const dir = target === "." ? releasePath : `${releasePath}/${target}`;
  return sh`mkdir -p ${dir} && tar -xzf - --no-same-owner -C ${dir}`;
}
