import { readFileSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";

/**
 * Reads one of the small files a connection starts from (~/.ssh/config, a key, known_hosts)
 * without waiting for the event loop: a run reads them while it loads its config and plugins,
 * and each asynchronous read waited for that loading to let go of the thread before the next
 * could start (with semver loaded lazily, 3 ms less CPU a run; docs/performance.md). Anything
 * but a regular file (a FIFO would hold the whole process) is read asynchronously, as before;
 * so is a file that cannot be stat'ed, whose read then fails with its own error.
 */
export function readLocalFile(file: string): Promise<Buffer>;
export function readLocalFile(file: string, encoding: "utf8"): Promise<string>;
export function readLocalFile(file: string, encoding?: "utf8"): Promise<Buffer | string> {
  let regular = false;
  try {
    regular = statSync(file).isFile();
  } catch {
    // Read below: its error (ENOENT, EACCES) is the one callers tell apart.
  }
  if (!regular) return encoding === undefined ? readFile(file) : readFile(file, encoding);
  try {
    return Promise.resolve(encoding === undefined ? readFileSync(file) : readFileSync(file, encoding));
  } catch (error) {
    return Promise.reject(error as Error);
  }
}
