import { lstat, readdir, readlink, realpath } from "node:fs/promises";
import path from "node:path";
import { FapError } from "@fap/core";
import type { HashCache } from "./hash-cache.js";

/** One path of the tree to ship, relative to its top, with `/` separators. */
export type TreeEntry =
  | { kind: "dir"; path: string; mode: number; mtime: number }
  | FileEntry
  | { kind: "symlink"; path: string; mode: number; mtime: number; target: string };

/**
 * A regular file. `sha256` is "" until something needs it (see FileHashes): a host holding the
 * same path, or the broadcast, which hashes what it sends; the manifest is written after both.
 */
export interface FileEntry {
  kind: "file";
  path: string;
  mode: number;
  mtime: number;
  size: number;
  sha256: string;
  /** size, mtime, ctime and inode as the scan saw them: the hash cache's key. */
  identity?: string;
  /** The file's last status change, in ms since the epoch. */
  changedMs?: number;
}

export interface Tree {
  /** Absolute local folder. */
  root: string;
  /** Folders first-come (a folder before what it holds), then in name order. */
  entries: TreeEntry[];
  files: number;
  bytes: number;
  /** Sockets, fifos and devices: never shipped. */
  skipped: string[];
}

/**
 * Walks the tree: every folder, file and symlink under `root` that `excluded` keeps, with each
 * file's sha256 when `cache` knows it (the others are hashed when needed, and only then). A
 * symlink that points outside `root` (absolute, or out through `..` or another link) is refused:
 * in the release it would point outside it too.
 */
export async function scanTree(root: string, excluded: (relative: string) => boolean, cache?: (realRoot: string) => Promise<HashCache>): Promise<Tree> {
  const realRoot = await realpath(root);
  const entries: TreeEntry[] = [];
  const skipped: string[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      const relative = prefix === "" ? name : `${prefix}/${name}`;
      if (excluded(relative)) continue;
      const full = path.join(dir, name);
      const info = await lstat(full, { bigint: true });
      const mode = Number(info.mode & 0o7777n);
      const mtime = Number(info.mtimeMs / 1000n);
      if (info.isDirectory()) {
        entries.push({ kind: "dir", path: relative, mode, mtime });
        await walk(full, relative);
      } else if (info.isFile()) {
        const identity = `${info.size}:${info.mtimeNs}:${info.ctimeNs}:${info.ino}`;
        entries.push({ kind: "file", path: relative, mode, mtime, size: Number(info.size), sha256: known?.get(relative, identity) ?? "", identity, changedMs: Number(info.ctimeMs) });
      } else if (info.isSymbolicLink()) {
        const target = await readlink(full);
        await refuseOutside(realRoot, full, relative, target);
        entries.push({ kind: "symlink", path: relative, mode: 0o777, mtime, target });
      } else skipped.push(relative);
    }
  };
  const known = await cache?.(realRoot);
  await walk(realRoot, "");
  const files = entries.filter((entry): entry is FileEntry => entry.kind === "file");
  return { root: realRoot, entries, files: files.length, bytes: files.reduce((sum, file) => sum + file.size, 0), skipped };
}

async function refuseOutside(realRoot: string, full: string, relative: string, target: string): Promise<void> {
  const refuse = () =>
    new FapError("E_UPLOAD_SYMLINK", `symlink ${relative} -> ${target} points outside the upload; in the release it would point outside the release`, {
      hint: "make it relative and inside the folder (e.g. ../shared/x is refused), or create it on the hosts in a hook or with linked_dirs",
    });
  if (path.isAbsolute(target)) throw refuse();
  const lexical = path.posix.normalize(path.posix.join(path.posix.dirname(relative), target));
  if (lexical === ".." || lexical.startsWith("../")) throw refuse();
  // Through other links of the tree (`a -> .`, `b -> a/..`): where it really lands, when it exists.
  const landed = await realpath(full).catch(() => undefined);
  if (landed !== undefined && landed !== realRoot && !landed.startsWith(`${realRoot}${path.sep}`)) throw refuse();
}
