import { readdir, readFile, readlink } from "node:fs/promises";
import { posix } from "node:path";
import type { ReleaseLogEntry } from "@fap/core/internal";
import type { TestHost } from "./types.js";

/** The text of a file on a host, by the path the host sees (`/srv/www/app/current/VERSION`); undefined if absent. */
export async function readHostFile(host: TestHost, remotePath: string): Promise<string | undefined> {
  return readFile(host.local(remotePath), "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
}

/** What a user checks on a host after a run: where `current` points, which releases exist, the release log. */
export interface DeployState {
  /** The release `current` points to (its id), or undefined when there is no `current`. */
  current: string | undefined;
  /** Where the `current` link points, as written (`releases/<id>`). */
  currentLink: string | undefined;
  /** Release directories, oldest first. */
  releases: string[];
  /** The release log, one entry per line, in order. */
  log: ReleaseLogEntry[];
}

/** Reads `deployPath` (the config's `path`, e.g. `/srv/www/app`) on a host, locally, without ssh. */
export async function readDeployState(host: TestHost, deployPath: string): Promise<DeployState> {
  const local = (relative: string) => host.local(posix.join(deployPath, relative));
  const target = await readlink(local("current")).catch(() => undefined);
  const releases = (await readdir(local("releases")).catch(() => [] as string[])).sort();
  const log = ((await readFile(local(".fap/releases.log"), "utf8").catch(() => "")) as string)
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as ReleaseLogEntry);
  return { current: target === undefined ? undefined : posix.basename(target), currentLink: target, releases, log };
}
