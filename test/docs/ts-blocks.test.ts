import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { exampleProject } from "./example-project.js";
import { codeBlocks, pagesOf, type CodeBlock } from "./markdown.js";

// Every ```ts block of docs/ and the READMEs type-checks against the built packages, all in one
// tsc run. A block is a module of its own, named block-<page>-<line>.ts, unless its fence names
// a file (```ts notify.ts): then other blocks import it by that name. A block that cannot be
// whole says why in a `<!-- not checked: reason -->` line above its fence. Needs `npm run build`.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");
const DIR = exampleProject(ROOT, "ts-blocks");
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

const blocks = pagesOf(ROOT).flatMap((page) => codeBlocks(page, readFileSync(path.join(ROOT, page), "utf8")));
const typescript = blocks.filter((block) => block.lang === "ts" || block.lang === "typescript");

/** Where a block is written: its named file, or one made from its page and line. */
function fileOf(block: CodeBlock): string {
  if (block.info !== "") return block.info;
  return `block-${block.page.replace(/\.md$/, "").replace(/[^\w]+/g, "-")}-${block.line}.ts`;
}

/** A block without import or export would share its names with every other such block: make it a module. */
function asModule(code: string): string {
  return /^\s*(import|export)\b/m.test(code) ? code : `${code}\nexport {};\n`;
}

function tsc(project: string): Promise<string> {
  return new Promise((resolve) => execFile(process.execPath, [TSC, "-p", project], { cwd: DIR, maxBuffer: 16 * 1024 * 1024 }, (_error, stdout) => resolve(stdout)));
}

describe("TypeScript blocks of the docs", () => {
  it("are there, and each named file is named once", () => {
    expect(typescript.length).toBeGreaterThan(30);
    const named = typescript.filter((block) => block.info !== "").map((block) => block.info);
    expect(named.filter((name, i) => named.indexOf(name) !== i)).toEqual([]);
  });

  it("type-check against the packages (or say why not)", { timeout: 240_000 }, async () => {
    const where = new Map<string, CodeBlock>();
    for (const block of typescript.filter((b) => b.notChecked === undefined)) {
      const file = fileOf(block);
      where.set(file, block);
      mkdirSync(path.dirname(path.join(DIR, file)), { recursive: true });
      writeFileSync(path.join(DIR, file), asModule(block.code));
    }
    writeFileSync(
      path.join(DIR, "tsconfig.json"),
      JSON.stringify({
        extends: path.join(ROOT, "tsconfig.base.json"),
        compilerOptions: {
          noEmit: true, composite: false, declaration: false, declarationMap: false, allowImportingTsExtensions: true,
          // The plugin docs/writing-plugins.md writes (src/index.ts), as its readers' projects import it.
          paths: { "fap-plugin-build-info": ["./src/index.ts"] },
        },
        include: ["**/*.ts"],
        exclude: ["node_modules"],
      }),
    );
    const out = await tsc(path.join(DIR, "tsconfig.json"));
    // Each error named by its page and line: "docs/hooks.md:452: error TS2304: Cannot find name 'hooks'."
    const errors = [...out.matchAll(/^(\S+\.ts)\((\d+),\d+\): (error .*)$/gm)].map(([, file, line, message]) => {
      const block = where.get(file!);
      return block ? `${block.page}:${block.line + Number(line)}: ${message}` : `${file}(${line}): ${message}`;
    });
    expect(errors).toEqual([]);
    expect(out).toBe("");
  });

  it("marked not checked are few, and each says why", () => {
    const marked = typescript.filter((block) => block.notChecked !== undefined);
    expect(marked.filter((block) => block.notChecked!.length < 10)).toEqual([]);
    expect(marked.length).toBeLessThanOrEqual(typescript.length / 5);
  });
});
