import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// CONTRIBUTING's rule, held here so that a file cannot grow past it unnoticed: small files
// with one idea each. A source file nearing the limit holds a second idea to move out.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const MAX_LINES = 250;

/** Every TypeScript file under packages/<name>/src, as a path from the repository's root. */
function sourceFiles(): string[] {
  return readdirSync(path.join(ROOT, "packages")).flatMap((dir) => {
    const src = path.join(ROOT, "packages", dir, "src");
    if (!existsSync(src)) return [];
    return readdirSync(src, { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      .map((file) => `packages/${dir}/src/${file.split(path.sep).join("/")}`);
  });
}

function lineCount(file: string): number {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

describe("source files", () => {
  it(`have at most ${MAX_LINES} lines each`, () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(200);
    expect(files).toContain("packages/core/src/run/session.ts");
    expect(files.filter((file) => lineCount(file) > MAX_LINES).map((file) => `${file}: ${lineCount(file)} lines`)).toEqual([]);
  });
});
