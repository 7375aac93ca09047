import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { isFapError, type FapError } from "@fap/core";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig, loadError } from "../src/load-config.js";

const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-load-config-")));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let projects = 0;
function project(files: Record<string, string>): string {
  const dir = path.join(root, `p${++projects}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

async function failure(files: Record<string, string>): Promise<FapError> {
  const error = await loadConfig({ cwd: project(files), env: {} }).then(() => undefined, (e: unknown) => e);
  if (!isFapError(error)) throw new Error(`expected a FapError, got ${String(error)}`);
  return error;
}

const STAGES = "stage_role_configs:\n  production:\n    web:\n      hosts: [web1]\n";

describe("loadConfig refuses a broken file in one line naming it", () => {
  it.each<[string, Record<string, string>, RegExp]>([
    ["an empty deploy.yml (instead of looking for another config)", { "deploy.yml": "\n" }, /^deploy\.yml is empty$/],
    ["a YAML alias to no anchor", { "deploy.yml": `app_name: *name\n${STAGES}` }, /^deploy\.yml: Unresolved alias .*: name$/],
    ["broken JSON in .faprc.json", { ".faprc.json": '{"app_name": "x",,}' }, /^\.faprc\.json: .*JSON/],
    ["broken JSON in package.json (read by cosmiconfig before the search)", { "package.json": '{"name": "x", "fap": {' }, /^package\.json: .*JSON/],
    ["a TypeScript config that throws", { "deploy.config.ts": 'throw new Error("no target");\nexport default {};\n' }, /^deploy\.config\.ts: no target$/],
    ["a TypeScript syntax error, with its line", { "deploy.config.ts": "export default {\n  a: 1,,\n};\n" }, /^deploy\.config\.ts:2: .*Unexpected token/],
    ["a TypeScript config without a default export", { "deploy.config.ts": "export const config = { app_name: 'x' };\n" }, /^deploy\.config\.ts has no default export$/],
    ["an .mjs config without a default export", { "deploy.config.mjs": "export const config = {};\n" }, /^deploy\.config\.mjs exports nothing$/],
    ["plugins that is not a list", { "deploy.yml": `plugins: fapistrano.git\n${STAGES}` }, /^deploy\.yml: 'plugins' must be a list, got string "fapistrano\.git"$/],
    ["a plugin entry that is a number", { "deploy.yml": `plugins: [[fapistrano.git, 42]]\n${STAGES}` }, /^deploy\.yml: plugins\[0\]\[1\] must be a plugin name or a plugin, got number 42$/],
  ])("%s", async (_name, files, message) => {
    const error = await failure(files);
    expect(error.code).toBe("E_CONFIG");
    expect(error.isUserError).toBe(true);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain("\n");
  });

  it("accepts plugins as nested lists of names, plugin objects and falsy entries", async () => {
    const dir = project({ "deploy.yml": `plugins: [fapistrano.git, [null, false], {name: x}]\n${STAGES}` });
    await expect(loadConfig({ cwd: dir, env: {} })).resolves.toMatchObject({ config: { plugins: ["fapistrano.git", [null, false], { name: "x" }] } });
  });
});

describe("loadError", () => {
  it("names the file relative to the working directory, with the line a parser gives, without code frames", () => {
    const file = "/work/app/deploy.config.ts";
    const error = loadError(file, "/work/app", new Error(`ParseError: Unexpected token\n ${file}:12:4\n> 12 | a,,\n     |   ^`));
    expect(error.message).toBe("deploy.config.ts:12: ParseError: Unexpected token");
    expect(error.hint).toMatch(/--debug/);
  });

  it("keeps an absolute path outside the working directory, and falls back to 'the config'", () => {
    expect(loadError("/etc/fap.yml", "/work/app", new Error("boom")).message).toBe("/etc/fap.yml: boom");
    expect(loadError(undefined, "/work/app", "boom").message).toBe("the config: boom");
  });
});
