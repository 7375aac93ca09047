import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// docs/troubleshooting.md has one section per error code of FapErrorCode: a code added to
// errors.ts without its entry (or an entry left for a code removed) fails here.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ERRORS = coreSourceDeclaring(/export type FapErrorCode =/);
const USER_CODES = coreSourceDeclaring(/USER_ERROR_CODES[^=]*= new Set/);
const PAGE = readFileSync(path.join(ROOT, "docs/troubleshooting.md"), "utf8");

/** The core source file matching `pattern` (errors.ts, or wherever a split moved it). */
function coreSourceDeclaring(pattern: RegExp): string {
  const src = path.join(ROOT, "packages/core/src");
  const files = readdirSync(src, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  const declaring = files.map((f) => readFileSync(path.join(src, f), "utf8")).filter((text) => pattern.test(text));
  if (declaring.length !== 1) throw new Error(`${pattern} matches ${declaring.length} files of packages/core/src`);
  return declaring[0]!;
}

/** The members of the FapErrorCode union, read from its source. */
function codesInSource(): string[] {
  const union = /export type FapErrorCode =([\s\S]*?);/.exec(ERRORS)?.[1];
  if (union === undefined) throw new Error("no FapErrorCode union in core");
  return [...union.replace(/\/\/.*$/gm, "").matchAll(/"(E_[A-Z_]+)"/g)].map((m) => m[1]!);
}

/** The codes of USER_ERROR_CODES (exit code 2), read from its source. */
function userCodesInSource(): Set<string> {
  const set = /USER_ERROR_CODES[^=]*=[^[]*\[([\s\S]*?)\]/.exec(USER_CODES)?.[1] ?? "";
  return new Set([...set.matchAll(/"(E_[A-Z_]+)"/g)].map((m) => m[1]!));
}

/** Each `### E_CODE` section of the page, by code. */
function sectionsOfPage(): Map<string, string> {
  const sections = new Map<string, string>();
  for (const part of PAGE.split(/^### /m).slice(1)) {
    const code = part.slice(0, part.indexOf("\n")).trim();
    sections.set(code, part.split(/^## /m)[0]!);
  }
  return sections;
}

describe("docs/troubleshooting.md", () => {
  const codes = codesInSource();
  const sections = sectionsOfPage();

  it("reads the codes from errors.ts", () => {
    expect(codes).toContain("E_CONFIG");
    expect(codes).toContain("E_HOST_STATE");
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("has a section for every code in FapErrorCode, and none for a code that is gone", () => {
    expect([...sections.keys()].sort()).toEqual([...codes].sort());
  });

  it("gives each code its exit code, a cause and a fix", () => {
    const user = userCodesInSource();
    for (const code of codes) {
      const section = sections.get(code) ?? "";
      const exit = code === "E_INTERRUPTED" ? "130" : user.has(code) ? "2" : "1";
      expect(section, code).toMatch(new RegExp(`^Exit code: ${exit}\\b`, "m"));
      expect(section, code).toMatch(/^Cause: \S/m);
      expect(section, code).toMatch(/^Fix: \S/m);
    }
  });

  it("lists every code in the page's contents", () => {
    const contents = PAGE.slice(0, PAGE.indexOf("\n## "));
    for (const code of codes) expect(contents, code).toContain(`\`${code}\``);
  });
});
