import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorLines, expectQuietSuccess, gitRepo, hostTree, runFap, type FapRun, type GitRepo } from "../../../test/harness.js";
import { useTestHosts } from "../../../test/three-hosts.js";

// The real `fap` binary and real sshd hosts; the repositories live under the test's temp dir,
// which every host sees at the same path (only /srv is private to each host).
const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" };

const env = useTestHosts(3, { plugins: ["plugin-git"] });
let work: string;

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", ...args], { cwd, env: GIT_ENV, encoding: "utf8" }).trim();
}

const shas = { one: "", two: "", dev: "" };
let repo: GitRepo;
let canaryDir: string;

beforeAll(async () => {
  work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-git-")));
  canaryDir = path.join(work, "canary");
  mkdirSync(canaryDir);
  repo = gitRepo(work, "app");
  shas.one = repo.commit({
    "README.md": "one\n",
    "app/index.js": "console.log(1);\n",
    "services/web/index.html": "<h1>web</h1>\n",
    "services/web/static/app.css": "h1{}\n",
  }, "one");
  repo.git("tag", "-a", "-m", "first release", "v1");
  shas.two = repo.commit({ "README.md": "two\n" }, "two");
  repo.git("checkout", "-q", "-b", "dev");
  shas.dev = repo.commit({ "DEV.md": "dev\n" }, "dev");
  repo.git("checkout", "-q", "main");
  // A real branch whose name is shell code: it must deploy like any other and never run.
  repo.git("branch", `$(touch\${IFS}${canaryDir}/BRANCH)`);
  repo.publish();
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A project as a user has it after `npm install @fap/plugin-git`. */
const project = (files: Record<string, string>): Promise<string> => env.project(files);

function deployYml(app: string, extra: Record<string, string | number> = {}, repoUrl = `file://${repo.bare}`): string {
  const lines = Object.entries({ repo: repoUrl, path: `/srv/www/${app}`, ...extra }).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  return `plugins: [fapistrano.git]
${lines.join("\n")}
stage_role_configs:
  production:
    web:
      hosts: [host1, host2, host3]
`;
}

async function deploy(dir: string, ...args: string[]): Promise<FapRun> {
  return runFap(env.hosts, dir, ["run", "deploy", "-s", "production", ...args]);
}

/** On every host: `current` is the newest release, holding `files` and REVISION, logged with its revision. */
async function expectDeployed(app: string, sha: string, files: Record<string, string | undefined>): Promise<void> {
  for (let i = 0; i < env.hosts.hosts.length; i++) {
    const tree = await hostTree(env.hosts, i, `/srv/www/${app}`);
    const newest = tree.releases.at(-1);
    expect(tree.current).toBe(`releases/${newest}`);
    expect(readFileSync(tree.local("current/REVISION"), "utf8")).toBe(`${sha}\n`);
    for (const [file, content] of Object.entries(files)) {
      if (content === undefined) expect(existsSync(tree.local(`current/${file}`)), file).toBe(false);
      else expect(readFileSync(tree.local(`current/${file}`), "utf8")).toBe(content);
    }
    expect(tree.log.at(-1)).toMatchObject({ id: newest, status: "ok", revision: sha });
  }
}

describe("@fap/plugin-git against three real hosts", () => {
  it("deploys a branch: its files and REVISION on every host, the revision in the release log", async () => {
    const dir = await project({ "deploy.yml": deployYml("branch", { branch: "main" }) });
    const run = await deploy(dir);
    expectQuietSuccess(run);
    expect(run.stdout).toContain(`deploying branch main at ${shas.two}`);
    await expectDeployed("branch", shas.two, { "README.md": "two\n", "app/index.js": "console.log(1);\n", "DEV.md": undefined });
    // git_shallow_clone defaults to 1: the mirror holds the deployed commit, not the history.
    const mirror = env.hosts.hosts[0]!.local("/srv/www/branch/repo");
    expect(readFileSync(path.join(mirror, "shallow"), "utf8").trim()).toBe(shas.two);
  });

  it("asks the remote once per run, and sends each host one git command", async () => {
    const dir = await project({ "deploy.yml": deployYml("once", { branch: "main" }) });
    const run = await deploy(dir, "--json");
    expect(run.code).toBe(0);
    const gitCommands = run.stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { type: string; plugin?: string; host?: string; command?: string })
      .filter((event) => event.type === "command" && event.plugin === "fap:git");
    expect(gitCommands.filter((event) => event.command?.includes("ls-remote")).map((event) => event.host)).toEqual(["host1"]);
    for (const host of ["host1", "host2", "host3"]) {
      expect(gitCommands.filter((event) => event.host === host && event.command?.includes(" archive --format=tar "))).toHaveLength(1);
    }
    await expectDeployed("once", shas.two, { "README.md": "two\n" });
  });

  it("lets the other hosts ask for themselves when the first cannot reach the repository", async () => {
    // The repository exists in the private /srv of host2 and host3 only.
    for (const host of env.hosts.hosts.slice(1)) git(work, "clone", "-q", "--bare", repo.src, host.local("/srv/only-some.git"));
    const dir = await project({ "deploy.yml": deployYml("some", { branch: "main" }, "/srv/only-some.git") });
    const run = await deploy(dir, "--max-failed=1");
    expect(run.code).toBe(1);
    expect(errorLines(run)[0]).toContain("host1 (started): [fap:git] started: cannot read /srv/only-some.git");
    for (const index of [1, 2]) {
      expect(readFileSync(env.hosts.hosts[index]!.local("/srv/www/some/current/REVISION"), "utf8")).toBe(`${shas.two}\n`);
    }
    expect((await hostTree(env.hosts, 0, "/srv/www/some")).current).toBeUndefined();
  });

  it("deploys a new commit as a new revision, and logs both revisions on rollback", async () => {
    const own = gitRepo(work, "moving");
    const first = own.commit({ "VERSION": "1\n" });
    const dir = await project({ "deploy.yml": deployYml("moving", {}, own.bare) });
    expect((await deploy(dir)).code).toBe(0);
    const second = own.commit({ "VERSION": "2\n" });
    expect((await deploy(dir)).code).toBe(0);
    await expectDeployed("moving", second, { VERSION: "2\n" });
    const tree = await hostTree(env.hosts, 0, "/srv/www/moving");
    expect(tree.log.filter((e) => e.status === "ok").map((e) => e.revision)).toEqual([first, second]);

    const rollback = await runFap(env.hosts, dir, ["run", "rollback", "-s", "production"]);
    expect(rollback.code).toBe(0);
    expect(rollback.stdout).toContain(`rolling back from ${second} to ${first}`);
    expect(readFileSync(env.hosts.hosts[2]!.local("/srv/www/moving/current/REVISION"), "utf8")).toBe(`${first}\n`);
  });

  it("deploys an annotated tag as its commit, from a repo given as a plain path", async () => {
    const dir = await project({ "deploy.yml": deployYml("tag", { branch: "v1" }, repo.bare) });
    const run = await deploy(dir);
    expect(run.code).toBe(0);
    await expectDeployed("tag", shas.one, { "README.md": "one\n" });
  });

  it("deploys a commit named by an abbreviated sha", async () => {
    const dir = await project({ "deploy.yml": deployYml("sha", { branch: shas.one.slice(0, 8) }) });
    const run = await deploy(dir);
    expect(run.code).toBe(0);
    await expectDeployed("sha", shas.one, { "README.md": "one\n" });
  });

  it("deploys only git_archive_tree, its path stripped", async () => {
    const dir = await project({ "deploy.yml": deployYml("subtree", { branch: "main", git_archive_tree: "services/web" }) });
    const run = await deploy(dir);
    expect(run.code).toBe(0);
    await expectDeployed("subtree", shas.two, { "index.html": "<h1>web</h1>\n", "static/app.css": "h1{}\n", "README.md": undefined });
  });

  it("deploys the remote's HEAD branch when branch is unset", async () => {
    const headRepo = path.join(work, "head-is-dev.git");
    git(work, "clone", "-q", "--bare", repo.src, headRepo);
    git(headRepo, "symbolic-ref", "HEAD", "refs/heads/dev");
    const dir = await project({ "deploy.yml": deployYml("head", {}, `file://${headRepo}`) });
    const run = await deploy(dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`deploying branch dev at ${shas.dev}`);
    await expectDeployed("head", shas.dev, { "DEV.md": "dev\n" });
  });

  it("lets --branch on the command line override the YAML", async () => {
    const dir = await project({ "deploy.yml": deployYml("cli", { branch: "main" }) });
    const run = await deploy(dir, `--branch=dev`);
    expect(run.code).toBe(0);
    await expectDeployed("cli", shas.dev, { "DEV.md": "dev\n" });
  });

  it("stops before updating when the branch does not exist: one error line, current and releases unchanged", async () => {
    const dir = await project({ "deploy.yml": deployYml("missing", { branch: "main" }) });
    expect((await deploy(dir)).code).toBe(0);
    const before = await Promise.all(env.hosts.hosts.map((_, i) => hostTree(env.hosts, i, "/srv/www/missing")));

    const run = await deploy(dir, "--branch=no-such-branch");
    expect(run.code).toBe(2);
    expect(errorLines(run)).toHaveLength(1);
    expect(errorLines(run)[0]).toContain(`branch 'no-such-branch' is not a branch, tag or commit of file://${repo.bare}`);
    expect(run.stderr).toContain("hint: list the branches with: git ls-remote --heads");
    for (let i = 0; i < env.hosts.hosts.length; i++) {
      const after = await hostTree(env.hosts, i, "/srv/www/missing");
      expect(after.current).toBe(before[i]!.current);
      expect(after.releases).toEqual(before[i]!.releases);
    }
  });

  it("says so when a host cannot read the repository", async () => {
    const missing = path.join(work, "no-such-repo.git");
    const dir = await project({ "deploy.yml": deployYml("unreachable", { branch: "main" }, missing) });
    const run = await deploy(dir);
    expect(run.code).toBe(1);
    expect(errorLines(run)).toHaveLength(1);
    expect(errorLines(run)[0]).toContain(`host1, host2, host3 (started): [fap:git] started: cannot read ${missing}: fatal: '${missing}' does not appear to be a git repository`);
    expect((await hostTree(env.hosts, 0, "/srv/www/unreachable")).releases).toEqual([]);
  });

  it("never runs a branch name as shell code", async () => {
    const canary = path.join(canaryDir, "CANARY");
    const dir = await project({ "deploy.yml": deployYml("canary", { branch: `$(touch ${canary})` }) });
    const run = await deploy(dir);
    expect(run.code).toBe(2);
    expect(errorLines(run)).toHaveLength(1);
    expect(errorLines(run)[0]).toContain(`branch '$(touch ${canary})' is not a valid branch, tag or commit name`);
    expect((await hostTree(env.hosts, 0, "/srv/www/canary")).releases).toEqual([]);

    // A name git accepts, and that a shell would run: deployed as the branch it is.
    const evil = `$(touch\${IFS}${canaryDir}/BRANCH)`;
    const real = await deploy(dir, `--branch=${evil}`);
    expect(existsSync(canary)).toBe(false);
    expect(existsSync(path.join(canaryDir, "BRANCH"))).toBe(false);
    expectQuietSuccess(real);
    await expectDeployed("canary", shas.two, { "README.md": "two\n" });
    expect(readFileSync(env.hosts.hosts[0]!.local("/srv/www/canary/.fap/releases.log"), "utf8")).not.toContain("BRANCH");
  });

  it("takes typed options from deploy.config.ts as defaults (full history with shallowClone: 0)", async () => {
    const dir = await project({
      "deploy.config.ts": `import git from "@fap/plugin-git";
export default {
  plugins: [git({ repo: ${JSON.stringify(repo.bare)}, branch: "dev", shallowClone: 0 })],
  path: "/srv/www/typed",
  stage_role_configs: { production: { web: { hosts: ["host1", "host2", "host3"] } } },
};
`,
    });
    const run = await deploy(dir);
    expectQuietSuccess(run);
    await expectDeployed("typed", shas.dev, { "DEV.md": "dev\n" });
    const mirror = env.hosts.hosts[1]!.local("/srv/www/typed/repo");
    expect(existsSync(path.join(mirror, "shallow"))).toBe(false);
    expect(git(mirror, "rev-parse", "refs/tags/v1^{commit}")).toBe(shas.one);
  });

  // A repo over ssh (repo: root@127.0.0.1:<path>) is not tested: the test hosts hold no keys
  // to each other, so a host cannot clone from another over ssh.
});
