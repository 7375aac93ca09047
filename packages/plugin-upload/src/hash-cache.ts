import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/**
 * The sha256 of each file of a tree as the last upload from this machine hashed it, keyed by
 * the file's path and stat identity (size, mtime, ctime, inode): a redeploy of an unchanged
 * build then reads 5,000 stats instead of 200 MB, as git's index does. ctime and the inode
 * change on every write, rename or chmod and cannot be set back (touch -d sets only mtime), so a
 * file whose identity matches was not written since it was hashed.
 *
 * Kept in the user's cache folder ($XDG_CACHE_HOME, else ~/.cache: fap/upload-hashes/, one file
 * per tree, named by a hash of the tree's real path), not next to the tree: the tree is a
 * build's output, which a build wipes and the upload would ship. Losing it costs one full hash.
 */
export interface HashCache {
  /** The file's sha256 when `identity` is what was hashed, else undefined. */
  get(relative: string, identity: string): string | undefined;
  /** Writes the cache anew with `files` (the ones hashed, from the cache or now). */
  save(files: readonly CachedFile[]): Promise<void>;
  /** How many lookups were answered. */
  readonly hits: number;
}

interface CachedFile {
  path: string;
  identity: string;
  sha256: string;
  /** Milliseconds since the epoch: the file's last status change (see RACY_MS). */
  changedMs: number;
}

const VERSION = 1;
/**
 * A file changed less than this before the tree was read may change again within the same
 * timestamp tick and keep its identity; such files are not cached, so they are hashed next time.
 */
const RACY_MS = 2000;

/** The cache folder: $XDG_CACHE_HOME/fap/upload-hashes, else ~/.cache/fap/upload-hashes. */
export function hashCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME !== undefined && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), ".cache");
  return path.join(base, "fap", "upload-hashes");
}

/** Loads the cache of the tree at `realRoot` (absent, unreadable or garbled: empty). `readAt`: when the tree's stats were taken. */
export async function loadHashCache(dir: string, realRoot: string, readAt: number): Promise<HashCache> {
  const file = path.join(dir, `${createHash("sha256").update(realRoot).digest("hex").slice(0, 32)}.json`);
  const known = new Map<string, { identity: string; sha256: string }>();
  try {
    const data = JSON.parse(await readFile(file, "utf8")) as { version?: unknown; root?: unknown; files?: unknown };
    if (data.version === VERSION && data.root === realRoot && Array.isArray(data.files)) {
      for (const row of data.files as unknown[]) {
        if (Array.isArray(row) && row.length === 3 && row.every((cell) => typeof cell === "string")) known.set(row[0] as string, { identity: row[1] as string, sha256: row[2] as string });
      }
    }
  } catch {
    // No cache yet (or a garbled one): every file is hashed, as without a cache.
  }
  let hits = 0;
  return {
    get(relative, identity) {
      const entry = known.get(relative);
      if (entry === undefined || entry.identity !== identity) return undefined;
      hits++;
      return entry.sha256;
    },
    async save(files) {
      const rows = files.filter((f) => f.sha256 !== "" && f.changedMs < readAt - RACY_MS).map((f) => [f.path, f.identity, f.sha256]);
      try {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        // Written aside, then renamed: two fap runs at once leave one whole cache, never a mix.
        const aside = `${file}.${process.pid}.tmp`;
        await writeFile(aside, JSON.stringify({ version: VERSION, root: realRoot, files: rows }), { mode: 0o600 });
        await rename(aside, file);
      } catch {
        // A cache that cannot be written (read-only HOME in CI) only costs the next run a full hash.
      }
    },
    get hits() {
      return hits;
    },
  };
}
