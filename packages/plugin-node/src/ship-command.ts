import { refuseSymlinks, sh } from "@fap/core";

/**
 * The local build arrives on stdin and is extracted into node_build_output in the release
 * (over what the checkout put there). No directory down to it may be a symlink the checkout
 * brought: mkdir and tar would write where it points.
 */
export function shipCommand(releasePath: string, output: string): string {
  const guard = refuseSymlinks(releasePath, output, { what: `node_build_output '${output}'`, where: "the release", self: true });
  return (guard ? `${guard}\n` : "") + sh`mkdir -p ${`${releasePath}/${output}`} && tar -xzf - --no-same-owner -C ${`${releasePath}/${output}`}`;
}
