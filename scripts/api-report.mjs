#!/usr/bin/env node
// @fap/core's API report: the names each entry exports, one `kind name` a line, in
// packages/core/api/public.txt (`@fap/core`, what plugin authors use) and internal.txt (what
// `@fap/core/internal` adds, for fap's own packages). Checked in, so a change to either shows in
// review. Read from the built declarations (dist/*.d.ts): run `npm run build` first, or
// `npm run api:update`, which builds and rewrites both files. With --check, writes nothing and
// exits 1 naming each file that differs (packages/core/test/api-report.test.ts runs that).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CORE = path.join(ROOT, "packages/core");
const API = path.join(CORE, "api");

/** `kind name` for each name a declaration file exports, sorted by name. */
export function exportsOf(dts) {
  const program = ts.createProgram([dts], { skipLibCheck: true, noEmit: true, types: [] });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(dts));
  return checker
    .getExportsOfModule(module)
    .map((symbol) => `${kindOf(symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol)} ${symbol.name}`)
    .sort((a, b) => a.split(" ")[1].localeCompare(b.split(" ")[1]));
}

function kindOf(symbol) {
  const f = symbol.flags;
  if (f & ts.SymbolFlags.Class) return "class";
  if (f & ts.SymbolFlags.Function) return "function";
  if (f & ts.SymbolFlags.Enum) return "enum";
  if (f & ts.SymbolFlags.Variable) return "const";
  if (f & ts.SymbolFlags.Interface) return "interface";
  if (f & ts.SymbolFlags.TypeAlias) return "type";
  return "other";
}

export function reports() {
  const publicNames = exportsOf(path.join(CORE, "dist/index.d.ts"));
  const shared = new Set(publicNames);
  const internalOnly = exportsOf(path.join(CORE, "dist/internal.d.ts")).filter((line) => !shared.has(line));
  return {
    "public.txt": `# @fap/core: the plugin-author API. Made by \`npm run api:update\`; do not edit by hand.\n${publicNames.join("\n")}\n`,
    "internal.txt": `# @fap/core/internal, besides all of public.txt: for fap's own packages. Made by \`npm run api:update\`.\n${internalOnly.join("\n")}\n`,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes("--check");
  const stale = [];
  for (const [file, text] of Object.entries(reports())) {
    const target = path.join(API, file);
    let old = "";
    try {
      old = readFileSync(target, "utf8");
    } catch {
      // no report yet: it is written below
    }
    if (old === text) continue;
    if (check) stale.push(path.relative(ROOT, target));
    else {
      mkdirSync(API, { recursive: true });
      writeFileSync(target, text);
      console.log(`wrote ${path.relative(ROOT, target)}`);
    }
  }
  if (stale.length > 0) {
    process.stderr.write(`@fap/core's exports changed: ${stale.join(", ")} no longer match. Check the change is meant, then run \`npm run api:update\` and commit the files.\n`);
    process.exit(1);
  }
}
