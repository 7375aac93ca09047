import { posix } from "node:path";
import type { HostPaths } from "../context.js";
import { FapError } from "../errors.js";
import { asList } from "../config/keys.js";
import { isRelativeInside } from "../config/relative-path.js";
import { formatLogLine, type ReleaseLogEntry } from "../release/release-log.js";
import { sh } from "./quote.js";
import { refuseSymlinks } from "./no-write-through.js";

type Paths = Pick<HostPaths, "root" | "releases" | "current" | "shared" | "meta">;

const logFile = (paths: Pick<HostPaths, "meta">) => `${paths.meta}/releases.log`;

/** Appends one line to the release log. */
export function appendLogCommand(paths: Pick<HostPaths, "meta">, entry: ReleaseLogEntry): string {
  return sh`printf '%s\\n' ${formatLogLine(entry)} >> ${logFile(paths)}`;
}

/** Creates the layout and the release directory; plain `mkdir` fails if the release exists. */
export function startReleaseCommand(paths: Paths, releasePath: string, entry: ReleaseLogEntry): string {
  const layout = [paths.releases, paths.shared, paths.meta];
  return [
    // `test` is a shell builtin: a redeploy, whose layout exists, starts no mkdir for it.
    `{ ${layout.map((dir) => sh`test -d ${dir}`).join(" && ")} || ${sh`mkdir -p ${layout}`}; }`,
    sh`mkdir ${releasePath}`,
    appendLogCommand(paths, entry),
  ].join(" && ");
}

/**
 * Points `current` at a release in one rename: a new symlink under a temporary name is moved
 * over `current`, so there is never a moment without a `current` or with a half-written one.
 * The link is relative when releases live under the deploy path, so the tree can be moved.
 */
export function switchCurrentCommand(paths: Paths, releasePath: string, releaseId: string): string {
  const target = paths.releases === `${paths.root}/releases` ? `releases/${releaseId}` : releasePath;
  const temporary = `${paths.root}/.current-${releaseId}.tmp`;
  return [
    sh`test -d ${releasePath}`,
    // -f: a link left by a run killed here is replaced; -n: never followed into a directory.
    sh`ln -sfn ${target} ${temporary}`,
    sh`mv -T ${temporary} ${paths.current}`,
  ].join(" && ");
}

/** Removes `current`, for undoing the very first publish of a host. */
export function removeCurrentCommand(paths: Pick<HostPaths, "current">): string {
  return sh`rm -f ${paths.current}`;
}

export function removeReleasesCommand(paths: Pick<HostPaths, "releases">, ids: readonly string[]): string {
  return sh`rm -rf ${ids.map((id) => `${paths.releases}/${id}`)}`;
}

/** Removes a release that did not make it, if it was created, and records why. */
export function discardReleaseCommand(paths: Paths, releasePath: string, entry: ReleaseLogEntry): string {
  return sh`if test -d ${releasePath}; then rm -rf ${releasePath} && ` + appendLogCommand(paths, entry) + "; fi";
}

/**
 * Symlinks each linked file and directory of shared/ into the release. A path missing from
 * shared/ is seeded from the release (or created empty) so nothing the user keeps there is
 * ever replaced; what the release itself holds at that path gives way to the link. A directory
 * on the way to the path, in the release or in shared/, must not be a symlink: every step
 * here would follow it out of the deploy (see refuseSymlinks). The path itself in shared/ may
 * be one (a volume the user mounted there): it is only linked to, never written into.
 */
export function linkSharedCommand(paths: Paths, releasePath: string, files: readonly string[], dirs: readonly string[]): string {
  checkNotNested(files, dirs);
  const lines: string[] = [];
  // A directory and a file differ only in how a path missing from shared/ is seeded.
  const link = (original: string, seed: (shared: string, inRelease: string) => string[]) => {
    const clean = checkLinkedPath(original);
    const shared = `${paths.shared}/${clean}`;
    const inRelease = `${releasePath}/${clean}`;
    const what = `linked path '${original}'`;
    lines.push(
      ...[
        refuseSymlinks(releasePath, clean, { what, where: "the release" }),
        refuseSymlinks(paths.shared, clean, { what, where: "shared/" }),
      ].filter(Boolean),
      ...seed(shared, inRelease),
      sh`rm -rf ${inRelease}`,
      sh`ln -s ${shared} ${inRelease}`,
    );
  };
  for (const dir of dirs) {
    link(dir, (shared, inRelease) => [
      sh`mkdir -p ${posix.dirname(inRelease)}`,
      sh`if ! test -d ${shared} && ! test -L ${shared}; then if test -d ${inRelease} && ! test -L ${inRelease}; then mkdir -p ${posix.dirname(shared)} && cp -a ${inRelease} ${shared}; else mkdir -p ${shared}; fi; fi`,
    ]);
  }
  for (const file of files) {
    link(file, (shared, inRelease) => [
      sh`mkdir -p ${posix.dirname(inRelease)} ${posix.dirname(shared)}`,
      sh`if ! test -e ${shared} && ! test -L ${shared}; then if test -f ${inRelease} && ! test -L ${inRelease}; then cp -a ${inRelease} ${shared}; else : > ${shared}; fi; fi`,
    ]);
  }
  return lines.length === 0 ? "" : ["set -e", ...lines].join("\n");
}

/** A linked path must stay inside the release and shared/: it is later given to `rm -rf`. */
export function checkLinkedPath(path: string): string {
  const clean = path.replace(/\/+$/, "");
  if (!isRelativeInside(clean)) {
    throw new FapError("E_CONFIG", `linked path '${path}' must be relative to the release, without '.', '..' or empty parts`, {
      hint: "write linked_files and linked_dirs like app/settings/production.py or log",
    });
  }
  return clean;
}

/** Linking a path inside a linked dir would `rm -rf` it through the dir's link: in shared/. */
export function checkNotNested(files: readonly string[], dirs: readonly string[]): void {
  for (const dir of dirs) {
    const inside = [...files, ...dirs].find((path) => checkLinkedPath(path).startsWith(`${checkLinkedPath(dir)}/`));
    if (inside !== undefined) {
      throw new FapError("E_CONFIG", `linked path '${inside}' is inside linked dir '${dir}'`, {
        hint: `it is already shared through '${dir}': remove it from linked_files / linked_dirs`,
      });
    }
  }
}

/**
 * Checks linked_files and linked_dirs before anything runs. `.env` may not be linked while
 * `environment` is set: writing the release's .env would go through the link into shared/.
 */
export function checkSharedPaths(values: Readonly<Record<string, unknown>>): void {
  const files = asList(values.linked_files);
  const dirs = asList(values.linked_dirs);
  [...files, ...dirs].forEach(checkLinkedPath);
  checkNotNested(files, dirs);
  const environment = values.environment;
  const hasEnvironment = typeof environment === "object" && environment !== null && Object.keys(environment).length > 0;
  if (hasEnvironment && [...files, ...dirs].some((path) => checkLinkedPath(path) === ".env")) {
    throw new FapError("E_CONFIG", "'.env' is both in linked_files and written from environment", {
      hint: "keep the .env in shared/ (linked_files) or set environment, not both",
    });
  }
}
