import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// ARCHITECTURE.md and CONTRIBUTING.md walk a newcomer through the code by file name: a file
// renamed or moved without its page fails here, so the walk cannot rot.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PAGES = ["ARCHITECTURE.md", "CONTRIBUTING.md"];
const TOP_DIRS = ["packages", "test", "docs", "scripts", "examples", "bench", ".ci"];

/** Every `backticked` repository path of a page: it starts with one of the repository's top folders. */
export function pathsNamed(markdown: string): string[] {
  const quoted = [...markdown.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!);
  return [...new Set(quoted.filter((text) => TOP_DIRS.some((dir) => text.startsWith(`${dir}/`))))];
}

/** A glob's folder before its first `*` (`docs/plugins/*.md`: `docs/plugins/`); a plain path whole. */
function fixedPart(named: string): string {
  const star = named.indexOf("*");
  return star === -1 ? named : named.slice(0, named.lastIndexOf("/", star) + 1);
}

/** Every "`name()` in `file`" of a page: the function the walk says that file holds. */
export function functionsNamed(markdown: string): Array<{ name: string; file: string }> {
  return [...markdown.matchAll(/`(\w+)\(\)` in\s+`([^`]+)`/g)].map((m) => ({ name: m[1]!, file: m[2]! }));
}

describe.each(PAGES)("%s", (page) => {
  const text = readFileSync(path.join(ROOT, page), "utf8");

  it("names only paths that exist", () => {
    const paths = pathsNamed(text);
    expect(paths.length).toBeGreaterThan(5);
    expect(paths.filter((named) => !existsSync(path.join(ROOT, fixedPart(named))))).toEqual([]);
  });

  it("says where each function it names is declared, truly", () => {
    const wrong = functionsNamed(text).filter(({ name, file }) => {
      const source = existsSync(path.join(ROOT, file)) ? readFileSync(path.join(ROOT, file), "utf8") : "";
      return !new RegExp(`(function\\*?|const|class) ${name}\\b`).test(source);
    });
    expect(wrong).toEqual([]);
  });
});

describe("pathsNamed and functionsNamed", () => {
  it("find the paths and functions a page names, and nothing else", () => {
    const page = "Start in `packages/cli/src/main.ts`; `main()` in `packages/cli/src/main.ts`; run `npm test` or `node scripts/x.mjs`, see `docs/`.";
    expect(pathsNamed(page)).toEqual(["packages/cli/src/main.ts", "docs/"]);
    expect(functionsNamed(page)).toEqual([{ name: "main", file: "packages/cli/src/main.ts" }]);
  });
});
