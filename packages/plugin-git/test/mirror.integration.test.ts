import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mirrorCommand } from "../src/_fetch.js";
import { REF_MARK, resolveAndExportCommand } from "../src/resolve-and-export-command.js";

// The host's shell commands run here, in bash with the real git: what they leave in the mirror,
// and which git commands they start (a `git` first on PATH logs each one and runs the real git).
const work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-git-mirror-")));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@fap", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@fap" };
const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, env: GIT_ENV, encoding: "utf8" }).trim();

const shims = path.join(work, "bin");
const calls = path.join(work, "git-calls");
let realGit = "";
let bare = "";
const shas: Record<string, string> = {};

beforeAll(() => {
  realGit = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
  mkdirSync(shims);
  writeFileSync(path.join(shims, "git"), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${calls}'\nexec ${realGit} "$@"\n`);
  chmodSync(path.join(shims, "git"), 0o755);
  const src = path.join(work, "src");
  git(work, "init", "-q", "-b", "main", src);
  writeFileSync(path.join(src, "VERSION"), "1\n");
  git(src, "add", "-A");
  git(src, "commit", "-q", "-m", "one");
  shas.one = git(src, "rev-parse", "HEAD");
  git(src, "tag", "-a", "-m", "release 1", "v1");
  // A tag named like the branch, on an older commit: the branch must win.
  git(src, "tag", "main", "HEAD");
  writeFileSync(path.join(src, "VERSION"), "2\n");
  git(src, "commit", "-q", "-am", "two");
  shas.two = git(src, "rev-parse", "HEAD");
  bare = path.join(work, "app.git");
  git(work, "clone", "-q", "--bare", src, bare);
});

/** The git subcommand of a logged call, past its -c and -C options. */
function verb(call: string): string {
  const words = call.split(" ");
  let i = 0;
  while (words[i] === "-c" || words[i] === "-C") i += 2;
  return words[i] ?? "";
}

/** Runs `command` in bash as a host would; returns its exit status, stderr and the git subcommands it started. */
function onHost(command: string): { status: number | null; stderr: string; gits: string[]; calls: string[] } {
  rmSync(calls, { force: true });
  const run = spawnSync("bash", ["-c", command], { cwd: work, env: { ...GIT_ENV, PATH: `${shims}:${process.env.PATH}` }, encoding: "utf8" });
  let logged: string[] = [];
  try {
    logged = readFileSync(calls, "utf8").split("\n").filter(Boolean);
  } catch {
    // no git started
  }
  return { status: run.status, stderr: run.stderr, gits: logged.map(verb), calls: logged };
}

let n = 0;
/** A new deploy path's mirror and release folder. */
function deployPath(): { repoPath: string; releasePath: string } {
  const root = path.join(work, `deploy-${++n}`);
  mkdirSync(path.join(root, "releases", "r1"), { recursive: true });
  return { repoPath: path.join(root, "repo"), releasePath: path.join(root, "releases", "r1") };
}

const refs = (stderr: string) => stderr.split("\n").filter((line) => line.startsWith(REF_MARK)).map((line) => line.slice(REF_MARK.length));

describe("mirrorCommand", () => {
  it.each([
    ["a path", "/srv/git/app.git"],
    ["shell and git config specials", `/tmp/a b;$(id) #x ;y "q" back\\slash.git`],
    ["a URL with a query and a fragment", "https://example.test/o/app.git?x=1#frag"],
    ["a control character, left to git config", "/tmp/tab\there.git"],
  ])("creates a bare mirror whose origin reads back as %s, and repoints it", (_, url) => {
    const { repoPath } = deployPath();
    expect(onHost(mirrorCommand(url, repoPath)).status).toBe(0);
    expect(git(work, "-C", repoPath, "rev-parse", "--is-bare-repository")).toBe("true");
    expect(execFileSync("git", ["-C", repoPath, "config", "--get-all", "remote.origin.url"], { env: GIT_ENV, encoding: "utf8" })).toBe(`${url}\n`);
    expect(onHost(mirrorCommand("/srv/git/other.git", repoPath)).gits).toEqual(["config"]);
    expect(git(work, "-C", repoPath, "config", "--get-all", "remote.origin.url")).toBe("/srv/git/other.git");
  });

  it("starts one git command for a new mirror: git init, origin written by the shell", () => {
    const { repoPath } = deployPath();
    expect(onHost(mirrorCommand(bare, repoPath)).gits).toEqual(["init"]);
  });

  it("leaves a config it did not make to git config: one origin, not two", () => {
    const { repoPath } = deployPath();
    mkdirSync(repoPath);
    writeFileSync(path.join(repoPath, "config"), '[remote "origin"]\n\turl = /nope\n');
    expect(onHost(mirrorCommand(bare, repoPath)).status).toBe(0);
    expect(git(work, "-C", repoPath, "config", "--get-all", "remote.origin.url")).toBe(bare);
  });
});

describe("resolveAndExportCommand on a host's first deploy", () => {
  const command = (branch: string, paths: { repoPath: string; releasePath: string }) =>
    resolveAndExportCommand({ repo: bare, branch, depth: 1, archiveTree: undefined, revisionFile: "REVISION", ...paths });

  it("fetches the branch by name and exports it: git init, fetch and archive, nothing else", () => {
    const paths = deployPath();
    const run = onHost(command("main", paths));
    expect(run.status, run.stderr).toBe(0);
    expect(run.gits).toEqual(["init", "fetch", "archive"]);
    expect(run.calls[1]).toMatch(/ fetch -q --depth 1 origin -- refs\/heads\/main$/);
    expect(refs(run.stderr)).toEqual([`${shas.two}\trefs/heads/main`]);
    expect(readFileSync(path.join(paths.releasePath, "VERSION"), "utf8")).toBe("2\n");
    expect(readFileSync(path.join(paths.releasePath, "REVISION"), "utf8")).toBe(`${shas.two}\n`);
    expect(git(work, "-C", paths.repoPath, "for-each-ref")).toBe("");
  });

  it("looks a tag up once the branch fetch finds nothing, and exports the tag's commit", () => {
    const paths = deployPath();
    const run = onHost(command("v1", paths));
    expect(run.status, run.stderr).toBe(0);
    expect(run.gits).toEqual(["init", "fetch", "ls-remote", "cat-file", "config", "fetch", "archive"]);
    expect(refs(run.stderr)).toContain(`${shas.one}\trefs/tags/v1^{}`);
    expect(readFileSync(path.join(paths.releasePath, "REVISION"), "utf8")).toBe(`${shas.one}\n`);
  });

  it("asks the remote first once the mirror exists", () => {
    const paths = deployPath();
    expect(onHost(command("main", paths)).status).toBe(0);
    rmSync(paths.releasePath, { recursive: true });
    mkdirSync(paths.releasePath);
    const again = onHost(command("main", paths));
    expect(again.status, again.stderr).toBe(0);
    expect(again.gits).toEqual(["ls-remote", "cat-file", "archive"]);
  });
});
