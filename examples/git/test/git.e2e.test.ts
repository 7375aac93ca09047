import { execFileSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectQuietSuccess, hostTree, runFap, startTestHosts, type TestHosts } from "../../../test/harness.js";

// examples/git run for real: the real `fap` binary in this folder (its deploy.yml loads
// fapistrano.git from the monorepo's node_modules), three sshd hosts, and a bare repository
// made from ./source. The temp dir is visible to every host at the same path.
const EXAMPLE = fileURLToPath(new URL("..", import.meta.url));
const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" };
const DEPLOY_PATH = "/srv/www/git-example";

let hosts: TestHosts;
let work: string;
let checkout: string;
let bare: string;

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.email=example@fap.invalid", "-c", "user.name=fap example", ...args], { cwd, env: GIT_ENV, encoding: "utf8" }).trim();
}

beforeAll(async () => {
  work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-example-git-")));
  checkout = path.join(work, "checkout");
  bare = path.join(work, "app.git");
  cpSync(path.join(EXAMPLE, "source"), checkout, { recursive: true });
  git(checkout, "init", "-q", "-b", "main");
  git(checkout, "add", "-A");
  git(checkout, "commit", "-q", "-m", "first version");
  git(checkout, "tag", "-a", "-m", "first release", "v1");
  git(work, "clone", "-q", "--bare", checkout, bare);
  hosts = await startTestHosts({ count: 3 });
});

afterAll(async () => {
  await hosts?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("examples/git", () => {
  it("deploys the branch, then a tag, to three hosts, each release holding the commit in REVISION", async () => {
    appendFileSync(path.join(checkout, "README.md"), "A second version.\n");
    git(checkout, "commit", "-q", "-am", "second version");
    git(checkout, "push", "-q", bare, "main");
    const main = git(checkout, "rev-parse", "HEAD");
    const v1 = git(checkout, "rev-parse", "v1^{commit}");

    const run = await runFap(hosts, EXAMPLE, ["run", "deploy", "-s", "production", `--repo=${bare}`]);
    expectQuietSuccess(run);
    for (let i = 0; i < hosts.hosts.length; i++) {
      const tree = await hostTree(hosts, i, DEPLOY_PATH);
      expect(tree.current).toBe(`releases/${tree.releases.at(-1)}`);
      expect(readFileSync(tree.local("current/REVISION"), "utf8").trim()).toBe(main);
      expect(readFileSync(tree.local("current/README.md"), "utf8")).toContain("A second version.");
      expect(execFileSync("python3", [tree.local("current/app/main.py")], { encoding: "utf8" })).toBe(`hello from git-example at ${main.slice(0, 12)}\n`);
      expect(tree.log.at(-1)).toMatchObject({ status: "ok", revision: main });
    }

    const tagged = await runFap(hosts, EXAMPLE, ["run", "deploy", "-s", "production", `--repo=${bare}`, "--branch=v1"]);
    expectQuietSuccess(tagged);
    for (let i = 0; i < hosts.hosts.length; i++) {
      const tree = await hostTree(hosts, i, DEPLOY_PATH);
      expect(tree.releases).toHaveLength(2);
      expect(readFileSync(tree.local("current/REVISION"), "utf8").trim()).toBe(v1);
      expect(readFileSync(tree.local("current/README.md"), "utf8")).not.toContain("A second version.");
    }
  });
});
