import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// Types are part of the contract (deploy.config.ts, plugin options), and vitest does not
// type-check: these tests run tsc over test/fixtures/types and the plugins' config-values
// tests. Needs `npm run build` first (the fixtures import the packages' .d.ts, as users do).
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const FIXTURES = path.join(ROOT, "test/fixtures/types");
const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");
const EXPECT_ERROR = /^\s*\/\/ @ts-expect-error/;

function tsc(args: readonly string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [TSC, ...args], { cwd: ROOT }, (error, stdout) => resolve({ code: error ? 1 : 0, out: stdout })),
  );
}

const made: string[] = [];
afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

describe("config types", () => {
  it("compile as the fixtures say: good configs compile, each marked mistake is an error", async () => {
    const { code, out } = await tsc(["-p", FIXTURES]);
    expect(out).toBe("");
    expect(code).toBe(0);
  });

  it("each marked mistake is an error of its own (tsc really checks the fixtures)", async () => {
    // Without its @ts-expect-error, each marked line must fail to compile, at that line.
    const dir = await mkdtemp(path.join(FIXTURES, "stripped-"));
    made.push(dir);
    const files = (await readdir(FIXTURES)).filter((f) => f.endsWith(".ts"));
    const expected: string[] = [];
    for (const file of files) {
      const lines = (await readFile(path.join(FIXTURES, file), "utf8")).split("\n");
      const kept = lines.map((line) => (EXPECT_ERROR.test(line) ? "//" : line));
      lines.forEach((line, i) => EXPECT_ERROR.test(line) && expected.push(`${file}(${i + 2})`));
      await writeFile(path.join(dir, file), kept.join("\n"));
    }
    expect(expected.length).toBeGreaterThan(3);
    const options = ["--noEmit", "--strict", "--skipLibCheck", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--types", "node"];
    const { out } = await tsc([...options, ...files.map((f) => path.join(dir, f))]);
    const failed = [...new Set([...out.matchAll(/([\w.-]+\.ts)\((\d+),\d+\): error/g)].map((m) => `${m[1]}(${m[2]})`))];
    expect(failed.sort()).toEqual(expected.sort());
  });
});
