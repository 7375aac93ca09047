import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileCache } from "../src/_file-cache.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "fap-file-cache-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("FileCache", () => {
  it("loads once while the files stay the same", async () => {
    const file = path.join(dir, "same");
    await writeFile(file, "a");
    const cache = new FileCache<number>();
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get([file], load)).toBe(1);
    expect(await cache.get([file], load)).toBe(1);
    expect(loads).toBe(1);
  });

  it("loads again when a file changes, appears or goes", async () => {
    const file = path.join(dir, "changing");
    const cache = new FileCache<number>();
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get([file], load)).toBe(1); // missing
    expect(await cache.get([file], load)).toBe(1);
    await writeFile(file, "a");
    expect(await cache.get([file], load)).toBe(2); // appeared
    await writeFile(file, "abc");
    expect(await cache.get([file], load)).toBe(3); // size changed
    await rm(file);
    expect(await cache.get([file], load)).toBe(4); // gone
  });

  it("keeps one entry per set of files", async () => {
    const [a, b] = [path.join(dir, "a"), path.join(dir, "b")];
    await writeFile(a, "1");
    await writeFile(b, "2");
    const cache = new FileCache<string>();
    expect(await cache.get([a], async () => "a")).toBe("a");
    expect(await cache.get([a, b], async () => "ab")).toBe("ab");
    expect(await cache.get([b], async () => "b")).toBe("b");
    expect(await cache.get([a], async () => "again")).toBe("a");
    expect(await cache.get([a, b], async () => "again")).toBe("ab");
  });

  it("tells [dir, /name] from [dir/name]", async () => {
    const name = `fap-file-cache-${path.basename(dir)}`;
    await writeFile(path.join(dir, name), "x");
    const cache = new FileCache<string>();
    expect(await cache.get([dir, `/${name}`], async () => "pair")).toBe("pair");
    expect(await cache.get([path.join(dir, name)], async () => "one")).toBe("one");
    expect(await cache.get([dir, `/${name}`], async () => "again")).toBe("pair");
  });

  it("does not serve a failed load again", async () => {
    const file = path.join(dir, "failing");
    await writeFile(file, "a");
    const cache = new FileCache<string>();
    await expect(cache.get([file], () => Promise.reject(new Error("bad key")))).rejects.toThrow("bad key");
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.get([file], async () => "good")).toBe("good");
  });
});
