import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { main, ownVersion } from "../src/index.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "create-fap-plugin-")));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function create(args: string[], cwd = work) {
  let out = "";
  let err = "";
  const code = await main(args, { cwd, out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe("create-fap-plugin", () => {
  it("scaffolds a plugin package named fap-plugin-<name>", async () => {
    const result = await create(["my-thing"]);
    expect(result).toMatchObject({ code: 0, err: "" });
    expect(result.out).toContain("Created fap-plugin-my-thing in my-thing: .gitignore, README.md, package.json, src/index.ts, test/plugin.test.ts, tsconfig.json, vitest.config.ts");
    expect(result.out).toContain("  cd my-thing\n  npm install\n  npm test");
    const dir = path.join(work, "my-thing");
    const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
    const range = `^${ownVersion()}`;
    expect(manifest).toMatchObject({
      name: "fap-plugin-my-thing",
      type: "module",
      keywords: ["fap-plugin"],
      fap: { core: range },
      exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } },
      files: ["dist"],
      peerDependencies: { "@fap/core": range },
      devDependencies: { "@fap/core": range, "@fap/testing": range },
      scripts: { test: "vitest run", prepack: "npm run build" },
    });
    expect(Object.keys(manifest.exports["."])[0]).toBe("types");
    const source = readFileSync(path.join(dir, "src/index.ts"), "utf8");
    expect(source).toContain('export const PLUGIN_NAME = "fap-plugin-my-thing";');
    expect(source).toContain("export default function myThing(options: MyThingOptions = {}): FapPlugin {");
    expect(source).toContain("my_thing_message: key.string({");
    expect(source).not.toMatch(/__[A-Z_]+__/);
    expect(readFileSync(path.join(dir, "README.md"), "utf8")).toContain("  - my-thing\nmy_thing_message: deployed");
  });

  it("creates a scoped package in the folder given", async () => {
    const result = await create(["@acme/slack", "plugins/slack-notify"]);
    expect(result.code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(work, "plugins/slack-notify/package.json"), "utf8"));
    expect(manifest.name).toBe("@acme/fap-plugin-slack");
  });

  it("refuses a bad name, a folder that is not empty, and bad usage", async () => {
    expect(await create(["Bad Name"])).toMatchObject({ code: 1, err: expect.stringContaining("'Bad Name' is not a plugin name") });
    mkdirSync(path.join(work, "taken"));
    writeFileSync(path.join(work, "taken", "file"), "");
    expect(await create(["taken"])).toMatchObject({ code: 1, err: expect.stringContaining("already exists and is not empty") });
    expect(await create([])).toMatchObject({ code: 2, err: expect.stringContaining("no plugin name given") });
    expect(await create(["x", "--force"])).toMatchObject({ code: 2, err: expect.stringContaining("unknown option --force") });
    expect((await create(["--help"])).out).toContain("usage: npm create fap-plugin@latest <name> [folder]");
  });

  // The scaffold's own test, run as its author would: vitest in its folder, against real hosts.
  // Here @fap/* come from this repository (node_modules linked); test/e2e/registry runs it from a registry.
  it("builds, and its own test passes", async () => {
    const parent = path.join(ROOT, "node_modules");
    await create(["passing"]);
    const dir = path.join(work, "passing");
    symlinkSync(parent, path.join(dir, "node_modules"));
    await run(process.execPath, [path.join(parent, "typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: dir });
    expect(existsSync(path.join(dir, "dist/index.js"))).toBe(true);
    expect(existsSync(path.join(dir, "dist/index.d.ts"))).toBe(true);
    const test = await run(process.execPath, [path.join(parent, "vitest/vitest.mjs"), "run"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
    expect(test.stdout).toMatch(/Tests\s+4 passed \(4\)/);
  }, 120_000);
});
