import { refuseSymlinks, sh } from "@fap/core";

/**
 * One round trip per host: the bundle arrives on stdin and is extracted into the release,
 * over what the release already holds at that place (files of the same name are replaced).
 * No directory down to the target may be a symlink the checkout brought: mkdir and tar would
 * write where it points. Below the target, tar itself replaces a symlink by the bundle's
 * directory (its entries come first) and refuses to extract through one.
 */
export function shipCommand(releasePath: string, target: string): string {
  const dir = target === "." ? releasePath : `${releasePath}/${target}`;
  const guard = target === "." ? "" : refuseSymlinks(releasePath, target, { what: `webpack_target '${target}'`, where: "the release", self: true });
  return (guard ? `${guard}
` : "") + sh`mkdir -p ${dir} && tar -xzf - --no-same-owner -C ${dir}`;
}
