import { FapError } from "../errors.js";
import { sh } from "./quote.js";

/** Exit code of a command that refused to write through a symlink (see `refuseSymlinks`). */
export const WRITE_THROUGH_EXIT = 86;

const REFUSAL_END = "fap will not write through it";

export interface RefuseSymlinksOptions {
  /** What the path is, for the message: "linked path 'conf/app.ini'". */
  what: string;
  /** Where `root` is, for the message: "the release", "shared/". */
  where: string;
  /** Check the path itself too (a directory fap writes into), not only the directories above it. */
  self?: boolean;
}

/**
 * Shell that exits with WRITE_THROUGH_EXIT, naming the path and the link, if a directory
 * between `root` and `root/relative` is a symlink: `mkdir -p`, `cp`, `rm -rf` and `>` all follow
 * such a link, so a release holding `conf -> /srv/data` would have fap write or delete in
 * /srv/data. `test -L` is a builtin: the check costs no process and no round trip, and goes in
 * the command that writes. Empty when there is nothing between (a path right under `root`).
 * `root` itself is not checked: the release is fap's own directory, and shared/ may be a link.
 */
export function refuseSymlinks(root: string, relative: string, options: RefuseSymlinksOptions): string {
  const parts = relative.split("/").filter((part) => part !== "" && part !== ".");
  const steps = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
  const checked = options.self ? steps : steps.slice(0, -1);
  if (checked.length === 0) return "";
  const message = `%s: '%s' in %s is a symlink (to %s); ${REFUSAL_END}\\n`;
  return (
    sh`for fap_p in ${checked}; do test ! -L ${root}/"$fap_p" || ` +
    sh`{ printf ${message} ${options.what} "$fap_p" ${options.where} "$(readlink ${root}/"$fap_p")" >&2; exit ${WRITE_THROUGH_EXIT}; }; done`
  );
}

/** The refusal `refuseSymlinks` printed, as the error fap shows; undefined for any other failure. */
export function writeThroughError(host: string, exitCode: number | string | null | undefined, lastLine: string, details: Record<string, unknown>): FapError | undefined {
  if (exitCode !== WRITE_THROUGH_EXIT || !lastLine.endsWith(REFUSAL_END)) return undefined;
  return new FapError("E_CONFIG", lastLine, {
    host,
    hint: "remove the symlink (from the repository or the artifact, or from shared/), or choose a path that does not go through it",
    details,
  });
}

/**
 * Shell that writes stdin to `file` readable by the deploy user only: into a new file beside
 * it (umask 077, so it is 0600 from its first byte), then renamed over `file`. A rename replaces
 * what is there (a file of the repository with a wider mode, or a symlink) instead of writing
 * into it; `-T` keeps mv from moving into a directory of that name.
 */
export function writePrivateFileCommand(file: string): string {
  const temporary = `${file.slice(0, file.lastIndexOf("/") + 1)}.${file.slice(file.lastIndexOf("/") + 1)}.fap-tmp`;
  return sh`(umask 077 && rm -f ${temporary} && cat > ${temporary} && mv -f -T ${temporary} ${file})`;
}
