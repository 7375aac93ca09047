import { statSync } from "node:fs";

/**
 * What was made from a set of files, kept while none of them changed (same inode, size and
 * mtime): fifty connections in one run read ~/.ssh keys and known_hosts once, not fifty times.
 */
export class FileCache<T> {
  private readonly entries = new Map<string, { stamp: string; value: Promise<T> }>();

  async get(files: readonly string[], load: () => Promise<T>): Promise<T> {
    const key = files.join("\0");
    const stamp = files.map(fileStamp).join("\0");
    const cached = this.entries.get(key);
    if (cached && cached.stamp === stamp) return cached.value;
    const value = load();
    this.entries.set(key, { stamp, value });
    // A failed load must not be served again.
    value.catch(() => this.entries.delete(key));
    return value;
  }
}

// Synchronous, and no exception for a missing file: each connection stamps its key and
// known_hosts files (most of the defaults do not exist), and at 500 hosts promises and ENOENT
// errors with their stack traces cost ten times the stat itself.
function fileStamp(file: string): string {
  try {
    const s = statSync(file, { throwIfNoEntry: false });
    return s === undefined ? "missing" : `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return "missing";
  }
}
