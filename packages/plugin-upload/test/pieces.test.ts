import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { excluder, manifestText, parseManifest, scanTree, tarHeader } from "../src/index.js";
import { FileHashes } from "../src/file-hashes.js";
import { loadHashCache, type HashCache } from "../src/hash-cache.js";
import { END_OF_ARCHIVE, padding } from "../src/tar-header.js";
import type { FileEntry, Tree } from "../src/tree.js";

const work = mkdtempSync(path.join(os.tmpdir(), "fap-upload-unit-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("upload_exclude globs", () => {
  const excluded = excluder(["*.map", "/tmp", "assets/**/*.psd", "cache/"]);
  it.each([
    ["app.js.map", true],
    ["deep/in/app.js.map", true],
    ["tmp", true],
    ["sub/tmp", false],
    ["assets/a/b/logo.psd", true],
    ["assets/logo.psd", true],
    ["other/logo.psd", false],
    ["cache", true],
    ["x/cache", true],
    ["app.js", false],
  ])("%s excluded: %s", (file, expected) => expect(excluded(file)).toBe(expected));
});

describe("the manifest", () => {
  const entries = [
    { kind: "dir" as const, path: "a", mode: 0o755, mtime: 1 },
    { kind: "file" as const, path: "a/line\nbreak.txt", mode: 0o644, mtime: 1, size: 3, sha256: "a".repeat(64) },
    { kind: "symlink" as const, path: "l", mode: 0o777, mtime: 1, target: "a" },
  ];
  it("reads back the files it lists, whatever their names", () => {
    expect([...parseManifest(manifestText(entries))!]).toEqual([["a/line\nbreak.txt", { sha256: "a".repeat(64), mode: 0o644, size: 3 }]]);
  });
  it("reads as none when cut short, edited or empty", () => {
    const text = manifestText(entries);
    expect(parseManifest(text.slice(0, text.length - 10))).toBeUndefined();
    expect(parseManifest(text.replace("a".repeat(64), "not a hash"))).toBeUndefined();
    expect(parseManifest("")).toBeUndefined();
  });
});

describe("tar headers", () => {
  it("are read by the system's tar, long and non-ASCII names included", () => {
    const long = `${"d".repeat(120)}/fïle.txt`;
    const body = Buffer.from("hello\n");
    const archive = Buffer.concat([
      tarHeader({ name: "top", type: "dir", mode: 0o750, mtime: 1_700_000_000 }),
      tarHeader({ name: long, type: "file", mode: 0o640, mtime: 1_700_000_000, size: body.length }),
      body,
      padding(body.length),
      tarHeader({ name: "link", type: "symlink", mode: 0o777, mtime: 1_700_000_000, linkname: "top" }),
      END_OF_ARCHIVE,
    ]);
    const file = path.join(work, "t.tar");
    writeFileSync(file, archive);
    const listing = execFileSync("tar", ["-tvf", file], { encoding: "utf8" }).split("\n").filter(Boolean);
    expect(listing).toHaveLength(3);
    expect(listing[0]).toMatch(/^drwxr-x--- .* top\/$/);
    expect(listing[1]).toMatch(new RegExp(`^-rw-r----- .* 6 .* ${long}$`));
    expect(listing[2]).toMatch(/^lrwxrwxrwx .* link -> top$/);
  });
});

describe("reading the tree", () => {
  const tree = (links: Record<string, string>) => {
    const root = mkdtempSync(path.join(work, "tree-"));
    mkdirSync(path.join(root, "sub"));
    writeFileSync(path.join(root, "sub/f"), "x");
    for (const [name, target] of Object.entries(links)) symlinkSync(target, path.join(root, name));
    return root;
  };
  it("keeps links that stay inside", async () => {
    const scanned = await scanTree(tree({ in: "sub/f", up: "sub/../sub" }), () => false);
    expect(scanned.entries.map((e) => `${e.kind} ${e.path}`)).toEqual(["symlink in", "dir sub", "file sub/f", "symlink up"]);
  });
  it.each([["/etc/passwd"], ["../x"], ["sub/../.."]])("refuses a link to %s", async (target) => {
    await expect(scanTree(tree({ out: target }), () => false)).rejects.toMatchObject({ code: "E_UPLOAD_SYMLINK" });
  });
  it("refuses a link that leaves through another link", async () => {
    await expect(scanTree(tree({ a: ".", b: "a/.." }), () => false)).rejects.toMatchObject({ code: "E_UPLOAD_SYMLINK" });
  });
});

describe("the hash cache", () => {
  const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
  const files = (tree: Tree) => tree.entries.filter((e): e is FileEntry & Required<FileEntry> => e.kind === "file");
  /** Scans `root` with the cache in `cacheDir`, as if the tree was read `later` ms after its files were written. */
  const scan = (root: string, cacheDir: string, later: number) => {
    let cache: HashCache | undefined;
    const tree = scanTree(root, () => false, async (real) => (cache = await loadHashCache(cacheDir, real, Date.now() + later)));
    return tree.then((t) => ({ tree: t, cache: cache! }));
  };
  const hashAndSave = async ({ tree, cache }: { tree: Tree; cache: HashCache }) => {
    await new FileHashes(tree.root).fill(files(tree));
    await cache.save(files(tree));
  };

  it("answers for files not written since they were hashed, and not for one rewritten with the same size and mtime", async () => {
    const root = mkdtempSync(path.join(work, "cached-"));
    const cacheDir = path.join(work, "cache-a");
    for (const name of ["a", "b", "c"]) writeFileSync(path.join(root, name), `${name}1`);
    const first = await scan(root, cacheDir, 10_000);
    expect(files(first.tree).map((f) => f.sha256)).toEqual(["", "", ""]);
    await hashAndSave(first);
    const { atime, mtime } = statSync(path.join(root, "b"));
    writeFileSync(path.join(root, "b"), "b2");
    utimesSync(path.join(root, "b"), atime, mtime);
    const second = await scan(root, cacheDir, 10_000);
    expect(second.cache.hits).toBe(2);
    expect(files(second.tree).map((f) => f.sha256)).toEqual([sha256("a1"), "", sha256("c1")]);
  });

  it("keeps no file changed just before the tree was read: it may change again within the same timestamp", async () => {
    const root = mkdtempSync(path.join(work, "racy-"));
    const cacheDir = path.join(work, "cache-b");
    writeFileSync(path.join(root, "a"), "a1");
    await hashAndSave(await scan(root, cacheDir, 0));
    expect((await scan(root, cacheDir, 10_000)).cache.hits).toBe(0);
  });
});
