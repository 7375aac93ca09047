import { FapError } from "../errors.js";

/** The keys naming where things are on a host; every one must be a directory of its own. */
export const HOST_PATH_KEYS = ["path", "releases_path", "current_path", "shared_path"] as const;
export type HostPathKey = (typeof HOST_PATH_KEYS)[number];

/**
 * A host path as written, checked and normalised: absolute, without `..` parts (on the host a
 * `..` after a symlinked directory leads somewhere else than the text says, so fap could not
 * check where it leads), with `.` parts, repeated and trailing `/` removed, and not `/` itself.
 * `where` names the target ("production.web").
 */
export function normaliseHostPath(key: HostPathKey, value: unknown, where: string): string {
  const raw = value === undefined || value === null ? "" : String(value);
  const fail = (problem: string, hint: string) => new FapError("E_CONFIG", `${where}: ${key} ${problem}`, { hint });
  if (!raw.startsWith("/")) {
    throw fail(`must be absolute, got '${raw}'`, "write the full path, e.g. /home/deploy/www/myapp (~ is not expanded)");
  }
  const parts = raw.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.includes("..")) {
    throw fail(`must not contain '..', got '${raw}'`, "write the path without '..', e.g. /home/deploy/www/myapp");
  }
  if (parts.length === 0) {
    throw fail(`must not be /${raw === "/" ? "" : `, got '${raw}'`}`, "deploy into a directory of its own, e.g. /home/deploy/www/myapp");
  }
  return `/${parts.join("/")}`;
}

/** Throws when two of the host path keys name the same directory (releases_path = path, say). */
export function checkDistinctHostPaths(paths: Readonly<Record<HostPathKey, string>>, where: string): void {
  const seen = new Map<string, HostPathKey>();
  for (const key of HOST_PATH_KEYS) {
    const other = seen.get(paths[key]);
    if (other !== undefined) {
      throw new FapError("E_CONFIG", `${where}: ${key} and ${other} are both ${paths[key]}`, {
        hint: `give ${key} a directory of its own, e.g. the default %(path)s/${key.replace(/_path$/, "")}`,
      });
    }
    seen.set(paths[key], key);
  }
}
