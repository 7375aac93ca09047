import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { exampleProject } from "./example-project.js";
import { codeBlocks, pagesOf, type CodeBlock } from "./markdown.js";

// Every ```yaml block of docs/ and the READMEs parses, duplicate keys refused. A block is a
// deploy.yml (or part of one) unless its fence names another file (```yaml .gitlab-ci.yml):
// those are given to the built `fap config` as a user would, completed with what a part
// leaves out (app_name, a stage with a host, the first-party plugins when it loads none), and
// each key the block writes must be one fap or a loaded plugin reads. Needs `npm run build`.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const FAP = path.join(ROOT, "packages/cli/bin/fap.js");
const DIR = exampleProject(ROOT, "yaml-blocks");
const HOME = path.join(DIR, "home"); // no ~/.ssh/config of the caller's
mkdirSync(HOME);
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

const FIRST_PARTY = ["git", "curl", "virtualenv", "supervisorctl", "webpack-build", "healthcheck", "notify"];
const blocks = pagesOf(ROOT).flatMap((page) => codeBlocks(page, readFileSync(path.join(ROOT, page), "utf8")));
const yamlBlocks = blocks.filter((block) => block.lang === "yaml" || block.lang === "yml");
const deployYml = yamlBlocks.filter((block) => (block.info === "" || block.info === "deploy.yml") && block.notChecked === undefined);

/** The block as a whole deploy.yml, and the stage to ask `fap config` about. */
function completed(block: CodeBlock): { text: string; stage: string } {
  const config = (parseDocument(block.code).toJS() ?? {}) as Record<string, unknown>;
  if (config.app_name === undefined) config.app_name = "docs-example";
  if (config.plugins === undefined) config.plugins = FIRST_PARTY;
  const stages = (config.stage_role_configs ?? {}) as Record<string, unknown>;
  if (Object.keys(stages).length === 0) config.stage_role_configs = { production: { web: { hosts: ["web1"] } } };
  return { text: JSON.stringify(config), stage: Object.keys((config.stage_role_configs ?? {}) as object)[0]! };
}

function fapConfig(dir: string, stage: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [FAP, "config", "--json", "-s", stage], { cwd: dir, env: { ...process.env, HOME, NO_COLOR: "1" } }, (error, out, err) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    ),
  );
}

/** What is wrong with a deploy.yml block, as fap sees it: its error, or the keys nothing reads. */
async function problems(block: CodeBlock, index: number): Promise<string[]> {
  const dir = path.join(DIR, `block-${index}`);
  mkdirSync(dir);
  const { text, stage } = completed(block);
  writeFileSync(path.join(dir, "deploy.yml"), text);
  const { code, out, err } = await fapConfig(dir, stage);
  const where = `${block.page}:${block.line}`;
  if (code !== 0) return [`${where}: ${err.trim().split("\n")[0]}`];
  const views = out.trim().split("\n").map((line) => JSON.parse(line) as { config: Record<string, { unread?: boolean }> });
  const unread = new Set(views.flatMap((view) => Object.entries(view.config).filter(([, entry]) => entry.unread).map(([key]) => key)));
  // A key of the user's own, read only through %(key)s in other values, is no typo.
  const interpolated = new Set([...block.code.matchAll(/%\((\w+)\)s/g)].map((m) => m[1]!));
  return [...unread].filter((key) => !interpolated.has(key)).map((key) => `${where}: ${key} is read by nothing (a typo, or its plugin is not loaded)`);
}

describe("YAML blocks of the docs", () => {
  it("parse, and no block writes a key twice (or says why not)", () => {
    expect(yamlBlocks.length).toBeGreaterThan(40);
    const errors = yamlBlocks.filter((block) => block.notChecked === undefined).flatMap((block) => parseDocument(block.code, { uniqueKeys: true }).errors.map((e) => `${block.page}:${block.line}: ${e.message.split("\n")[0]}`));
    expect(errors).toEqual([]);
  });

  it("that are deploy.yml are valid for `fap config`, every key they write read by fap or a plugin", { timeout: 300_000 }, async () => {
    expect(deployYml.length).toBeGreaterThan(30);
    const found: string[] = [];
    const queue = deployYml.map((block, i) => [block, i] as const);
    const workers = Array.from({ length: Math.max(1, Math.min(4, os.availableParallelism() - 1)) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) found.push(...(await problems(...next)));
    });
    await Promise.all(workers);
    expect(found.sort()).toEqual([]);
  });

  it("marked not checked are few, and each says why", () => {
    const marked = yamlBlocks.filter((block) => block.notChecked !== undefined);
    expect(marked.filter((block) => block.notChecked!.length < 10)).toEqual([]);
    expect(marked.length).toBeLessThanOrEqual(yamlBlocks.length / 5);
  });
});
