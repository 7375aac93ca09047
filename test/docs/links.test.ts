import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { anchorsOf, linksOf, pagesOf } from "./markdown.js";

// Every relative link of docs/ and the READMEs goes to a file of the repository, and its
// #anchor to a heading of that page: a page moved or a heading reworded fails here.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The links of a page that are broken, each with why. */
function brokenLinks(page: string): string[] {
  const text = readFileSync(path.join(ROOT, page), "utf8");
  return linksOf(text).flatMap((link) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(link)) return []; // https:, mailto: ...
    const [target, anchor] = link.split("#") as [string, string | undefined];
    const file = target === "" ? path.join(ROOT, page) : path.resolve(path.dirname(path.join(ROOT, page)), decodeURIComponent(target));
    if (!file.startsWith(`${ROOT}${path.sep}`) && file !== ROOT) return [`${page}: ${link} leaves the repository`];
    if (!existsSync(file)) return [`${page}: ${link}: no such file`];
    if (anchor === undefined || anchor === "" || statSync(file).isDirectory() || !file.endsWith(".md")) return [];
    return anchorsOf(readFileSync(file, "utf8")).has(anchor) ? [] : [`${page}: ${link}: no heading for #${anchor}`];
  });
}

describe("links of the docs", () => {
  const pages = pagesOf(ROOT);

  it("go to files that exist, and to headings those pages have", () => {
    expect(pages.length).toBeGreaterThan(40);
    const broken = pages.flatMap(brokenLinks);
    expect(broken).toEqual([]);
  });

  it("are read: relative ones with anchors, to other pages and to their own", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    expect(linksOf(readme).filter((link) => link.startsWith("docs/")).length).toBeGreaterThan(5);
    expect(anchorsOf("# Hooks\n## `HostContext` and ctx.run()\n## Hooks\n```sh\n# not a heading\n```\n")).toEqual(new Set(["hooks", "hostcontext-and-ctxrun", "hooks-1"]));
    expect(linksOf("[a](docs/x.md#y) `[b](not/a/link.md)`\n```\n[c](in/code.md)\n```\n[d]: ../e.md\n")).toEqual(["docs/x.md#y", "../e.md"]);
  });
});
