import { stat } from "node:fs/promises";

/**
 * What was made from a set of files, kept while none of them changed (same inode, size and
 * mtime): fifty connections in one run read ~/.ssh keys and known_hosts once, not fifty times.
 */
export class FileCache<T> {
  private readonly entries = new Map<string, { stamp: string; value: Promise<T> }>();

  async get(files: readonly string[], load: () => Promise<T>): Promise<T> {
    const key = files.join("\0");
    const stamp = (await Promise.all(files.map(fileStamp))).join("\0");
    const cached = this.entries.get(key);
    if (cached && cached.stamp === stamp) return cached.value;
    const value = load();
    this.entries.set(key, { stamp, value });
    // A failed load must not be served again.
    value.catch(() => this.entries.delete(key));
    return value;
  }
}

async function fileStamp(file: string): Promise<string> {
  try {
    const s = await stat(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return "missing";
  }
}
