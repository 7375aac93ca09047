import { existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectQuietSuccess, gitRepo, runFap, type GitRepo } from "../../../test/harness.js";
import { useTestHosts } from "../../../test/three-hosts.js";

// --dry-run against two real hosts: the commands it prints are the ones a real run sends,
// commit included, and the hosts keep nothing of it.

const env = useTestHosts(2, { plugins: ["plugin-git"] });
let work: string;
let repo: GitRepo;
const shas = { one: "", two: "" };

beforeAll(async () => {
  work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-git-dry-")));
  repo = gitRepo(work, "app");
  shas.one = repo.commit({ "README.md": "one\n" }, "one");
  repo.git("tag", "-a", "-m", "first release", "v1");
  shas.two = repo.commit({ "README.md": "two\n" }, "two");
  repo.publish();
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function project(app: string, branch?: string): Promise<string> {
  return env.project({
    "deploy.yml": `plugins: [fapistrano.git]
repo: ${JSON.stringify(`file://${repo.bare}`)}
path: /srv/www/${app}
${branch === undefined ? "" : `branch: ${branch}`}
stage_role_configs:
  production:
    web:
      hosts: [host1, host2]
`,
  });
}

describe("@fap/plugin-git under --dry-run", () => {
  it("prints the remote's default branch and its commit, as the real run then deploys", async () => {
    const dir = await project("dry-head");
    const dry = await runFap(env.hosts, dir, ["run", "deploy", "-s", "production", "--dry-run"]);
    expectQuietSuccess(dry);
    expect(dry.stdout).toContain(`deploying branch main at ${shas.two}`);
    expect(dry.stdout).not.toContain("<commit of");
    for (const host of ["host1", "host2"]) expect(dry.stdout).toMatch(new RegExp(`${host} \\| +git -C \\S+ archive --format=tar ${shas.two} `));
    for (const host of env.hosts.hosts) expect(existsSync(host.local("/srv/www/dry-head"))).toBe(false);

    const real = await runFap(env.hosts, dir, ["run", "deploy", "-s", "production"]);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toContain(`deploying branch main at ${shas.two}`);
  });

  it("prints a tag's commit", async () => {
    const dir = await project("dry-tag", "v1");
    const dry = await runFap(env.hosts, dir, ["run", "deploy", "-s", "production", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`deploying tag v1 at ${shas.one}`);
  });

  it("prints a full sha as itself, and sends nothing to the host for it", async () => {
    const dir = await project("dry-sha", shas.one);
    const dry = await runFap(env.hosts, dir, ["run", "deploy", "-s", "production", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`deploying commit ${shas.one}`);
    for (const host of env.hosts.hosts) expect(existsSync(host.local("/srv/www/dry-sha"))).toBe(false);
  });

  it("says so, as the real run would, when the branch does not exist", async () => {
    const dir = await project("dry-missing", "no-such-branch");
    const dry = await runFap(env.hosts, dir, ["run", "deploy", "-s", "production", "--dry-run"]);
    expect(dry.code).toBe(2);
    expect(dry.stderr).toContain(`branch 'no-such-branch' is not a branch, tag or commit of file://${repo.bare}`);
  });
});
