import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { codeCacheDir } from "../src/code-cache.js";

// requireWithCodeCache (src/code-cache.ts), as fap's runs use it: each run a process of its own,
// loading the built @fap/core, the cache written as the process exits.
const CORE = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist/fap-core.js")).href;

let work: string;
let file: string;
let cacheDir: string;
beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), "fap-code-cache-"));
  file = path.join(work, "lib.cjs");
  cacheDir = path.join(work, "cache");
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** A process that runs `body` (an ES module with requireWithCodeCache imported); its output lines. */
function run(body: string): string[] {
  const script = `import { createRequire } from "node:module";\nimport { requireWithCodeCache } from ${JSON.stringify(CORE)};\n${body}`;
  return execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }).trim().split("\n");
}

/** requireWithCodeCache of `file` with the cache in `dir` (none: null), as JS. */
const loadCall = (dir: string | null = cacheDir) => `requireWithCodeCache(${JSON.stringify(file)}, ${dir === null ? "undefined" : JSON.stringify(dir)})`;

/** A process that loads `file` with the cache in `dir` and prints what its value() returns. */
function load(dir: string | null = cacheDir): string {
  return run(`console.log(${loadCall(dir)}.value());`).join("\n");
}

const cacheFile = () => path.join(cacheDir, `lib.cjs-${process.version}-${process.arch}.v8`);
const sha256 = (text: string) => createHash("sha256").update(text).digest();

describe("requireWithCodeCache", () => {
  it("writes the cache as the first process ends, and the next ones use it as it is", () => {
    const source = `exports.value = () => "first";\n`;
    writeFileSync(file, source);
    expect(load()).toBe("first");
    const written = readFileSync(cacheFile());
    // The digest of the text it was made from, then V8's data.
    expect(written.subarray(0, 32).equals(sha256(source))).toBe(true);
    expect(written.length).toBeGreaterThan(32);
    const { mtimeMs } = statSync(cacheFile());
    // Rejected by V8 or made for other text, it would be written again.
    expect(load()).toBe("first");
    expect(statSync(cacheFile()).mtimeMs).toBe(mtimeMs);
    expect(readFileSync(cacheFile()).equals(written)).toBe(true);
  });

  it("never runs the code of a cache made from other text of the same length", () => {
    writeFileSync(file, `exports.value = () => "aaaa";\n`);
    expect(load()).toBe("aaaa");
    // V8 checks only the length of the text a cache was made from: the digest is fap's check.
    writeFileSync(file, `exports.value = () => "bbbb";\n`);
    expect(load()).toBe("bbbb");
    expect(readFileSync(cacheFile()).subarray(0, 32).equals(sha256(`exports.value = () => "bbbb";\n`))).toBe(true);
  });

  it("loads the file when the cache is damaged, and writes it again", () => {
    const source = `exports.value = () => "fine";\n`;
    writeFileSync(file, source);
    expect(load()).toBe("fine");
    writeFileSync(cacheFile(), Buffer.concat([sha256(source), Buffer.from("not V8's data")]));
    expect(load()).toBe("fine");
    expect(readFileSync(cacheFile()).subarray(32).toString()).not.toBe("not V8's data");
  });

  it("does not use a cache that other users could have written, and writes its own", () => {
    writeFileSync(file, `exports.value = () => "mine";\n`);
    expect(load()).toBe("mine");
    chmodSync(cacheFile(), 0o666);
    expect(load()).toBe("mine");
    // Used as it was, it would not have been written again: written, it is this user's alone.
    expect(statSync(cacheFile()).mode & 0o777).toBe(0o600);
  });

  it("loads the file when the cache cannot be written, and fails nothing", () => {
    writeFileSync(file, `exports.value = () => "anyway";\n`);
    const notADirectory = path.join(work, "plain-file");
    writeFileSync(notADirectory, "");
    expect(load(path.join(notADirectory, "cache"))).toBe("anyway");
  });

  it("without a cache folder is a plain require, and writes nothing", () => {
    writeFileSync(file, `exports.value = () => "plain";\n`);
    expect(load(null)).toBe("plain");
    expect(() => statSync(cacheDir)).toThrow();
  });

  it("is one module with require(): whichever loads the file first, the other gets that one", () => {
    writeFileSync(file, `exports.value = () => "one";\n`);
    const required = `createRequire(${JSON.stringify(file)})(${JSON.stringify(file)})`;
    expect(run(`const loaded = ${loadCall()};\nconsole.log(${required} === loaded);`)).toEqual(["true"]);
    expect(run(`const loaded = ${required};\nconsole.log(${loadCall()} === loaded);`)).toEqual(["true"]);
  });

  it("passes on what the file throws, and runs it again when asked again", () => {
    writeFileSync(file, `globalThis.runs = (globalThis.runs ?? 0) + 1;\nif (globalThis.runs === 1) throw new Error("first run fails");\nexports.value = () => "second run";\n`);
    expect(run(`try { ${loadCall()}; } catch (error) { console.log(error.message); }\nconsole.log(${loadCall()}.value());`)).toEqual(["first run fails", "second run"]);
  });
});

describe("codeCacheDir", () => {
  it("is fap's cache folder's v8/, the one the bin gives Node's own compile cache", () => {
    expect(codeCacheDir({ FAP_CACHE_DIR: "/c/fap" })).toBe("/c/fap/v8");
    expect(codeCacheDir({ XDG_CACHE_HOME: "/x" })).toBe("/x/fap/v8");
  });

  it("is none with NODE_DISABLE_COMPILE_CACHE, which turns Node's off too", () => {
    expect(codeCacheDir({ FAP_CACHE_DIR: "/c/fap", NODE_DISABLE_COMPILE_CACHE: "1" })).toBeUndefined();
  });
});
