import path from "node:path";
import { FapError, readKeys } from "@fap/core";
import { UPLOAD_KEYS } from "./keys.js";

/** What to ship: read once per run, before any host is touched. */
export interface UploadSettings {
  /** Absolute. Exactly one of the two is set. */
  dir: string | undefined;
  archive: string | undefined;
  exclude: string[];
}

export const SOURCE_KEYS = ["upload_dir", "upload_archive", "upload_exclude"] as const;

/** Reads and checks the keys; relative paths are taken from `cwd`. */
export function readSettings(values: Readonly<Record<string, unknown>>, cwd: string): UploadSettings {
  const keys = readKeys(values, UPLOAD_KEYS);
  if (keys.upload_dir !== undefined && keys.upload_archive !== undefined) {
    throw new FapError("E_CONFIG", "upload_dir and upload_archive are both set", { hint: "ship one of them: remove the other" });
  }
  if (keys.upload_dir === undefined && keys.upload_archive === undefined) {
    throw new FapError("E_CONFIG", "upload_dir is not set", { hint: "set upload_dir: to the folder to ship (e.g. build), or upload_archive: to a .tgz" });
  }
  const absolute = (value: string | undefined) => (value === undefined ? undefined : path.resolve(cwd, value));
  return { dir: absolute(keys.upload_dir), archive: absolute(keys.upload_archive), exclude: keys.upload_exclude };
}

/**
 * The tree is read once, from the top level's keys; a host whose stage, role or command line
 * asks for another one must not get this one. Returns the first key that differs.
 */
export function differingKey(here: UploadSettings, read: UploadSettings): (typeof SOURCE_KEYS)[number] | undefined {
  if (here.dir !== read.dir) return "upload_dir";
  if (here.archive !== read.archive) return "upload_archive";
  if (here.exclude.join("\0") !== read.exclude.join("\0")) return "upload_exclude";
  return undefined;
}
