import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/** A source file's imports that are code of this repository: root-relative paths of .ts files. */
export type ImportGraph = Map<string, string[]>;

interface Manifest {
  name: string;
  exports?: Record<string, string | { types?: string; default?: string }>;
}

/**
 * `@fap/core/internal` → `packages/core/src/internal.ts`, read from each package's exports map:
 * its `types` entry (dist/x.d.ts is made from src/x.ts; the JavaScript may be a bundle).
 */
function workspaceEntries(root: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const dir of readdirSync(path.join(root, "packages"))) {
    const file = path.join(root, "packages", dir, "package.json");
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, "utf8")) as Manifest;
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const built = typeof target === "string" ? target : (target.types ?? target.default);
      const stem = /^\.\/dist\/(.+)\.(?:d\.ts|js)$/.exec(built ?? "")?.[1];
      if (stem === undefined) continue;
      const source = `packages/${dir}/src/${stem}.ts`;
      entries.set(path.posix.join(manifest.name, subpath), source);
    }
  }
  return entries;
}

/** `./x.js` from `packages/core/src/a.ts` → `packages/core/src/x.ts` (or `x/index.ts`), if that file exists. */
function resolveRelative(root: string, from: string, specifier: string): string | undefined {
  const base = path.posix.join(path.posix.dirname(from), specifier).replace(/\.js$/, "");
  return [`${base}.ts`, `${base}/index.ts`].find((candidate) => existsSync(path.join(root, candidate)));
}

/**
 * A module's imports of repository code: `value` ones run the imported module first (static
 * imports and re-exports, `import()`), `type` ones are erased from the JavaScript (`import
 * type`, `export type ... from`; with verbatimModuleSyntax `import { type X }` is not erased).
 */
function importsOf(text: string): Array<{ specifier: string; typeOnly: boolean }> {
  const source = ts.createSourceFile("x.ts", text, ts.ScriptTarget.Latest, false);
  const found: Array<{ specifier: string; typeOnly: boolean }> = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = ts.isImportDeclaration(node) ? (node.importClause?.isTypeOnly ?? false) : node.isTypeOnly;
      found.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * Every .ts file under `packages/<name>/src/` and the files of this repository it imports
 * (by relative path or through a workspace package's exports map); `typesToo: false` leaves
 * out the imports erased from the JavaScript.
 */
export function importGraph(root: string, { typesToo }: { typesToo: boolean }): ImportGraph {
  const entries = workspaceEntries(root);
  const graph: ImportGraph = new Map();
  for (const dir of readdirSync(path.join(root, "packages"))) {
    const src = path.join(root, "packages", dir, "src");
    if (!existsSync(src)) continue;
    for (const file of readdirSync(src, { recursive: true, encoding: "utf8" })) {
      if (!file.endsWith(".ts") || file.endsWith(".d.ts")) continue;
      const from = `packages/${dir}/src/${file.split(path.sep).join("/")}`;
      const imports = importsOf(readFileSync(path.join(root, from), "utf8")).filter((i) => typesToo || !i.typeOnly);
      const targets = imports.map(({ specifier }) => (specifier.startsWith(".") ? resolveRelative(root, from, specifier) : entries.get(specifier)));
      graph.set(from, [...new Set(targets.filter((target) => target !== undefined))]);
    }
  }
  return graph;
}

/** Each import cycle of the graph, as the files around it (first file repeated at the end), by name; one per group of files importing each other. */
export function importCycles(graph: ImportGraph): string[][] {
  // Tarjan's strongly connected components; a group of more than one file (or a file
  // importing itself) holds a cycle, and a path around it is found by a search inside it.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  let next = 0;
  const visit = (file: string) => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(file, Math.min(low.get(file)!, index.get(target)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1 || (graph.get(file) ?? []).includes(file)) groups.push(group);
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
  const cycles = groups.map((group) => cycleThrough(graph, new Set(group)));
  return cycles.sort((a, b) => (a.join(" ") < b.join(" ") ? -1 : 1));
}

/** A shortest path from the group's first file (by name) back to itself, staying inside the group. */
function cycleThrough(graph: ImportGraph, group: Set<string>): string[] {
  const start = [...group].sort()[0]!;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const target of graph.get(file) ?? []) {
      if (!group.has(target)) continue;
      if (target === start) {
        const cycle = [start];
        for (let at: string | undefined = file; at !== undefined && at !== start; at = cameFrom.get(at)) cycle.splice(1, 0, at);
        return [...cycle, start];
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, file);
        queue.push(target);
      }
    }
  }
  return [start, start];
}
