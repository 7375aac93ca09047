import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../src/compile.js";
import { loadWebpackConfig } from "../src/_load-config.js";
import { loadWebpack } from "../src/_load-webpack.js";
import { pack } from "../src/pack.js";
import type { BuildSettings } from "../src/settings.js";
import { rejection } from "../../../test/thrown.js";

// Real webpack, real tar, on small projects in a temporary directory.
const WEBPACK_DIR = path.dirname(createRequire(import.meta.url).resolve("webpack/package.json"));
let work: string;

beforeAll(() => {
  work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-webpack-unit-")));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function project(name: string, files: Record<string, string>, withWebpack = true): BuildSettings {
  const dir = path.join(work, name);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  if (withWebpack) {
    mkdirSync(path.join(dir, "node_modules"), { recursive: true });
    symlinkSync(WEBPACK_DIR, path.join(dir, "node_modules/webpack"));
  }
  return { projectDir: dir, configFile: path.join(dir, "webpack.config.js"), mode: "production", output: undefined };
}

const noReport = { run: true, report: () => {} };

describe("loadWebpack", () => {
  it("finds the project's webpack", async () => {
    const webpack = await loadWebpack(project("has-webpack", { "package.json": "{}" }).projectDir);
    expect(webpack.version).toMatch(/^5\./);
  });

  it("says when the project has none", async () => {
    const settings = project("no-webpack", { "package.json": "{}" }, false);
    // Walking up from the temp dir finds no webpack either.
    expect(await rejection(loadWebpack(settings.projectDir))).toMatchObject({ code: "E_CONFIG", message: `webpack is not installed in ${settings.projectDir}` });
  });
});

describe("loadWebpackConfig", () => {
  it("calls a config function with env and argv as webpack-cli does, and forces the mode", async () => {
    const settings = project("function", {
      "webpack.config.js": "module.exports = async (env, argv) => ({ mode: 'development', entry: './x.js', name: JSON.stringify({ env, argv }) });\n",
    });
    const [config] = (await loadWebpackConfig(settings)) as Array<Record<string, unknown>>;
    expect(config).toMatchObject({ mode: "production", context: settings.projectDir, output: { path: path.join(settings.projectDir, "dist") } });
    expect(JSON.parse(String(config!.name))).toEqual({
      env: { WEBPACK_BUNDLE: true, WEBPACK_BUILD: true },
      argv: { mode: "production", env: { WEBPACK_BUNDLE: true, WEBPACK_BUILD: true } },
    });
  });

  it("loads an ESM config and an array of configs, keeping their own context and output", async () => {
    const settings = { ...project("esm", { "webpack.config.mjs": "export default [{ context: '/c', output: { path: '/o' } }, () => ({})];\n" }) };
    settings.configFile = path.join(settings.projectDir, "webpack.config.mjs");
    const configs = await loadWebpackConfig(settings);
    expect(configs).toEqual([
      { context: "/c", output: { path: "/o" }, mode: "production" },
      { context: settings.projectDir, output: { path: path.join(settings.projectDir, "dist") }, mode: "production" },
    ]);
  });

  it.each([
    ["missing", {}, "webpack_config 'webpack.config.js' does not exist"],
    ["throws", { "webpack.config.js": "throw new Error('no API_URL\\nstack');\n" }, "cannot load webpack_config 'webpack.config.js': no API_URL"],
    ["exports-nothing", { "webpack.config.js": "module.exports = 42;\n" }, "webpack_config 'webpack.config.js' exports no webpack config"],
  ])("refuses a config that %s", async (name, files, message) => {
    const settings = project(name, files);
    const cwd = process.cwd();
    process.chdir(settings.projectDir);
    try {
      expect(await rejection(loadWebpackConfig(settings))).toMatchObject({ code: "E_CONFIG", message });
    } finally {
      process.chdir(cwd);
    }
  });
});

describe("compile", () => {
  const sources = { "package.json": "{}", "src/index.js": "import { a } from './a.js';\nconsole.log(a);\n", "src/a.js": "export const a = 1;\n" };

  it("builds and tells where it wrote", async () => {
    const settings = project("ok", { ...sources, "webpack.config.js": "module.exports = { entry: './src/index.js' };\n" });
    const webpack = await loadWebpack(settings.projectDir);
    const result = await compile(webpack, await loadWebpackConfig(settings), noReport);
    expect(result).toEqual({ outputDirs: [path.join(settings.projectDir, "dist")], warnings: [] });
    expect(readFileSync(path.join(settings.projectDir, "dist/main.js"), "utf8")).toContain("console.log(1)");
  });

  it("builds nothing when run is false (--dry-run), but knows the output", async () => {
    const settings = project("dry", { ...sources, "webpack.config.js": "module.exports = { entry: './src/index.js', output: { path: __dirname + '/out' } };\n" });
    const result = await compile(await loadWebpack(settings.projectDir), await loadWebpackConfig(settings), { ...noReport, run: false });
    expect(result.outputDirs).toEqual([path.join(settings.projectDir, "out")]);
    expect(() => readFileSync(path.join(settings.projectDir, "out/main.js"))).toThrow();
  });

  it("throws webpack's first error in one line and reports them all in full", async () => {
    const settings = project("missing-module", {
      ...sources,
      "src/a.js": "export { b as a } from './b.js';\nimport './c.js';\n",
      "webpack.config.js": "module.exports = { entry: './src/index.js' };\n",
    });
    const reports: string[] = [];
    const error = await rejection(compile(await loadWebpack(settings.projectDir), await loadWebpackConfig(settings), { run: true, report: (t) => reports.push(t) }));
    expect(error.code).toBe("E_COMMAND_FAILED");
    expect(error.message).toBe(`webpack: ./src/a.js 1:0-32: Module not found: Error: Can't resolve './b.js' in '${settings.projectDir}/src' (and 1 more error)`);
    expect(reports.join("\n")).toContain("ERROR in ./src/a.js 2:0-16");
  });

  it("refuses a config webpack's schema rejects, naming the bad option", async () => {
    const settings = project("invalid", { ...sources, "webpack.config.js": "module.exports = { entry: './src/index.js', output: { filename: 3 } };\n" });
    const error = await rejection(compile(await loadWebpack(settings.projectDir), await loadWebpackConfig(settings), noReport));
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toMatch(/^webpack refused the config: configuration\.output\.filename should be/);
  });
});

describe("pack", () => {
  it("packs a directory into a gzipped tar that unpacks to the same files", async () => {
    const dir = path.join(work, "to-pack");
    mkdirSync(path.join(dir, "js"), { recursive: true });
    writeFileSync(path.join(dir, "index.html"), "<html>\n");
    writeFileSync(path.join(dir, "js/main.js"), "console.log(1)\n");
    const bundle = await pack(dir);
    expect(bundle).toMatchObject({ files: 2, bytes: 22, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const out = path.join(work, "unpacked");
    mkdirSync(out);
    execFileSync("tar", ["-xzf", "-", "-C", out], { input: bundle.archive });
    expect(readFileSync(path.join(out, "js/main.js"), "utf8")).toBe("console.log(1)\n");
  });

  it.each([
    ["a missing directory", "nope", "is not a directory after the build"],
    ["an empty directory", "empty", "is empty after the build"],
  ])("refuses %s", async (_what, name, message) => {
    mkdirSync(path.join(work, "empty"), { recursive: true });
    expect((await rejection(pack(path.join(work, name)))).message).toContain(message);
  });
});
