import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { lstat, readdir, readlink, realpath } from "node:fs/promises";
import path from "node:path";
import { FapError } from "@fap/core";

/** One path of the tree to ship, relative to its top, with `/` separators. */
export type TreeEntry =
  | { kind: "dir"; path: string; mode: number; mtime: number }
  | { kind: "file"; path: string; mode: number; mtime: number; size: number; sha256: string }
  | { kind: "symlink"; path: string; mode: number; mtime: number; target: string };

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

/** Files hashed at once: enough to keep a disk busy, few enough to keep memory flat. */
const HASHING_AT_ONCE = 8;

/**
 * Reads the tree once: every folder, file (with its sha256) and symlink under `root` that
 * `excluded` keeps. A symlink that points outside `root` (absolute, or out through `..` or
 * another link) is refused: in the release it would point outside it too.
 */
export async function scanTree(root: string, excluded: (relative: string) => boolean): Promise<Tree> {
  const realRoot = await realpath(root);
  const entries: TreeEntry[] = [];
  const skipped: string[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      const relative = prefix === "" ? name : `${prefix}/${name}`;
      if (excluded(relative)) continue;
      const full = path.join(dir, name);
      const info = await lstat(full);
      const mode = info.mode & 0o7777;
      const mtime = Math.floor(info.mtimeMs / 1000);
      if (info.isDirectory()) {
        entries.push({ kind: "dir", path: relative, mode, mtime });
        await walk(full, relative);
      } else if (info.isFile()) {
        entries.push({ kind: "file", path: relative, mode, mtime, size: info.size, sha256: "" });
      } else if (info.isSymbolicLink()) {
        const target = await readlink(full);
        await refuseOutside(realRoot, full, relative, target);
        entries.push({ kind: "symlink", path: relative, mode: 0o777, mtime, target });
      } else skipped.push(relative);
    }
  };
  await walk(realRoot, "");
  const files = entries.filter((entry): entry is Extract<TreeEntry, { kind: "file" }> => entry.kind === "file");
  let next = 0;
  const hashOne = async (): Promise<void> => {
    while (next < files.length) {
      const file = files[next++]!;
      file.sha256 = await sha256Of(path.join(realRoot, file.path));
    }
  };
  await Promise.all(Array.from({ length: HASHING_AT_ONCE }, hashOne));
  return { root: realRoot, entries, files: files.length, bytes: files.reduce((sum, file) => sum + file.size, 0), skipped };
}

function sha256Of(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(file)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
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
