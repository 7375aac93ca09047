import { execFile } from "node:child_process";
import { readdirSync, type Dirent } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// vitest strips types without checking them: a test's expectTypeOf, @ts-expect-error or a
// wrongly typed fixture would pass. tsc checks every test folder here, in one program (one
// start-up, the packages' .d.ts read once). Needs `npm run build` first.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");
const PROJECT = path.join(ROOT, "test/types/test-folders.tsconfig.json");

function tsc(args: readonly string[]): Promise<string> {
  return new Promise((resolve) => execFile(process.execPath, [TSC, "-p", PROJECT, ...args], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (_error, stdout) => resolve(stdout)));
}

// A template is a package of its own once scaffolded (its imports resolve there); the
// create-fap-plugin tests build and test what it becomes.
const NOT_HERE = ["node_modules", "template"];

/** Every *.test.ts of the repository, relative to the root. */
function testFiles(dir = ""): string[] {
  // Walked by hand, not with readdirSync's `recursive`: that throws when a folder another test
  // made for a moment (a dot-folder of scratch files) is gone before it is read.
  let entries: Dirent[];
  try {
    entries = readdirSync(path.join(ROOT, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const file = dir === "" ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name.startsWith(".") || NOT_HERE.includes(entry.name) ? [] : testFiles(file);
    return entry.name.endsWith(".test.ts") ? [file] : [];
  });
}

describe("test folders", () => {
  it("type-check (tsc), expectTypeOf and @ts-expect-error included", { timeout: 240_000 }, async () => {
    expect(await tsc([])).toBe("");
  });

  it("are all in that tsc program: a test file outside it would go unchecked", async () => {
    const listed = new Set((await tsc(["--listFilesOnly"])).split("\n").map((file) => path.relative(ROOT, file.trim()).split(path.sep).join("/")));
    const tests = testFiles();
    expect(tests.length).toBeGreaterThan(100);
    expect(tests.filter((file) => !listed.has(file))).toEqual([]);
  });
});
