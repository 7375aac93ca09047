import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeCacheDir } from "../../core/src/code-cache.js";

// Node 22.1+ keeps V8's compiled code of the modules fap loads (the bin enables it). The cache
// must be the user's own folder: a shared temp folder would let another user plant code.

const BIN = fileURLToPath(new URL("../bin/fap.js", import.meta.url));
const PROBE = fileURLToPath(new URL("../../../test/fixtures/compile-cache-probe.mjs", import.meta.url));
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "fap-compile-cache-"));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** Where `fap ARGS` asked for the compile cache, with `env` over a HOME in the scratch folder. */
async function cacheAskedBy(args: readonly string[], env: Record<string, string>): Promise<string[]> {
  const out = path.join(scratch, `asked-${Math.random().toString(36).slice(2)}`);
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(FAP_CACHE_DIR|XDG_CACHE_HOME)$/.test(name)));
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", PROBE, BIN, ...args],
      { cwd: scratch, env: { ...base, HOME: path.join(scratch, "home"), FAP_TEST_COMPILE_CACHE: out, ...env } },
      (error, _stdout, stderr) => (error ? reject(new Error(stderr)) : resolve()),
    );
  });
  return (await readFile(out, "utf8").catch(() => "")).split("\n").filter(Boolean);
}

describe("the compile cache", () => {
  it("lives in fap's cache folder under HOME", async () => {
    expect(await cacheAskedBy(["--help"], {})).toEqual([path.join(scratch, "home/.cache/fap/v8")]);
  });

  it("follows XDG_CACHE_HOME, and FAP_CACHE_DIR before it", async () => {
    expect(await cacheAskedBy(["--help"], { XDG_CACHE_HOME: "/xdg" })).toEqual(["/xdg/fap/v8"]);
    expect(await cacheAskedBy(["--help"], { XDG_CACHE_HOME: "/xdg", FAP_CACHE_DIR: "/fap-cache" })).toEqual(["/fap-cache/v8"]);
  });

  it("is the folder @fap/core keeps its own code cache in (the bin works it out without loading core)", async () => {
    for (const env of [{ XDG_CACHE_HOME: "/xdg" }, { FAP_CACHE_DIR: "/fap-cache" }] as Record<string, string>[]) {
      expect(await cacheAskedBy(["--help"], env)).toEqual([codeCacheDir(env)]);
    }
  });

  it("is not asked for by `fap --version`, which loads nothing to cache", async () => {
    expect(await cacheAskedBy(["--version"], {})).toEqual([]);
  });
});
