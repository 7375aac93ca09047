import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { excluder, manifestText, parseManifest, scanTree, tarHeader } from "../src/index.js";
import { END_OF_ARCHIVE, padding } from "../src/tar-header.js";

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
    expect([...parseManifest(manifestText(entries))!]).toEqual([["a/line\nbreak.txt", { sha256: "a".repeat(64), mode: 0o644 }]]);
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
