import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// docs/cli.md holds a table of options per command; these fail when a command or an option was
// added, removed or reworded and the page was not. Runs the built `fap` (npm run build first),
// in an empty folder so no project's keys are listed.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const FAP = path.join(ROOT, "packages/cli/bin/fap.js");
const EMPTY = mkdtempSync(path.join(os.tmpdir(), "fap-cli-doc-"));
afterAll(() => rmSync(EMPTY, { recursive: true, force: true }));

function help(args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [FAP, ...args], { cwd: EMPTY, env: { ...process.env, COLUMNS: "400", NO_COLOR: "1" } }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    ),
  );
}

/** The first column of an Options: or Commands: section of commander's help. */
function firstColumn(text: string, section: string): string[] {
  const body = text.split(`${section}:\n`)[1]?.split("\n\n")[0] ?? "";
  return body.split("\n").flatMap((line) => /^ {2}(\S.*?)(?: {2,}|$)/.exec(line)?.[1] ?? []);
}

/** Per `## fap NAME` heading: the backquoted first cells of its table. */
function documented(page: string): Map<string, { usage: string; options: string[] }> {
  const sections = new Map<string, { usage: string; options: string[] }>();
  for (const part of page.split(/^## fap /m).slice(1)) {
    const name = part.split("\n")[0]!.trim();
    const usage = /^`(fap [^`]+)`/m.exec(part)?.[1] ?? "";
    const options = part.split("\n").flatMap((line) => /^\| `(.+?)` \|/.exec(line)?.[1]?.replace(/\\\|/g, "|") ?? []);
    sections.set(name, { usage, options });
  }
  return sections;
}

const page = readFileSync(path.join(ROOT, "docs/cli.md"), "utf8");

describe("docs/cli.md", () => {
  it("has a section for every command fap --help lists, and no other", async () => {
    const commands = firstColumn(await help(["--help"]), "Commands").map((c) => c.split(" ")[0]!).filter((c) => c !== "help");
    expect(commands.length).toBeGreaterThan(10);
    expect([...documented(page).keys()].sort()).toEqual(commands.sort());
  });

  it("lists each command's usage and exactly the options its --help lists", async () => {
    for (const [name, doc] of documented(page)) {
      const text = await help([name, "--help"]);
      expect(doc.usage, name).toBe(/^Usage: (.+)$/m.exec(text)?.[1]);
      expect(doc.options, name).toEqual(firstColumn(text, "Options").filter((o) => o !== "-h, --help"));
    }
  });

  it("no help text or package description calls Fapistrano by another name ('seed')", async () => {
    const texts = [await help(["--help"]), ...(await Promise.all([...documented(page).keys()].map((name) => help([name, "--help"]))))];
    for (const dir of readdirSync(path.join(ROOT, "packages"))) {
      const manifest = JSON.parse(readFileSync(path.join(ROOT, "packages", dir, "package.json"), "utf8")) as { description?: string };
      texts.push(manifest.description ?? "");
    }
    for (const text of texts) expect(text).not.toMatch(/\bseed\b/i);
  });
});
