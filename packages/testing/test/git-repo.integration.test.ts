import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gitRepo } from "../src/git-repo.js";

const work = mkdtempSync(path.join(os.tmpdir(), "fap-git-repo-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const inBare = (bare: string, ...args: string[]) => execFileSync("git", ["--git-dir", bare, ...args], { encoding: "utf8" }).trim();

describe("gitRepo", () => {
  it("publishes each commit, branch and tag to the bare clone, and stays on main", () => {
    const repo = gitRepo(work, "app");
    const one = repo.commit({ "a/b.txt": "one\n" }, "one");
    expect(inBare(repo.bare, "rev-parse", "refs/heads/main")).toBe(one);
    repo.git("tag", "v1");
    const feature = repo.branch("feature", { "c.txt": "feature\n" });
    expect(inBare(repo.bare, "rev-parse", "refs/heads/feature")).toBe(feature);
    expect(inBare(repo.bare, "rev-parse", "refs/tags/v1")).toBe(one);
    expect(repo.git("rev-parse", "--abbrev-ref", "HEAD")).toBe("main");
    expect(inBare(repo.bare, "show", "main:a/b.txt")).toBe("one");
  });
});
