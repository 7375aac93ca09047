import { mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gitRepo, hostTree, runFap } from "../harness.js";
import { useTestHosts } from "../three-hosts.js";

// Three hosts, fap's packages installed in each project (for the git plugin).
const env = useTestHosts(3, { installed: true });
// The bare repositories live here: every test host sees the test's temp dir.
const work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-rollback-to-")));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const trees = (app: string) => Promise.all([0, 1, 2].map((i) => hostTree(env.hosts, i, `/srv/www/${app}`)));
const config = (app: string, top = "", hooks = "  updating: echo \"%(release)s\" > VERSION") => `app_name: ${app}
path: /srv/www/%(app_name)s
${top}
hooks:
${hooks}
stage_role_configs:
  production:
    web:
      hosts: [host1, host2, host3]
`;
const fap = (dir: string, ...args: string[]) => runFap(env.hosts, dir, args);

/** A project of `app` (with `hooks`, see config) deployed `count` times, one after another: its dir and the release ids, oldest first. */
async function deployed(app: string, count: number, hooks?: string): Promise<{ dir: string; ids: string[] }> {
  const dir = await env.project({ "deploy.yml": config(app, "", hooks) });
  for (let n = 0; n < count; n++) {
    const run = await fap(dir, "run", "deploy", "-s", "production");
    expect(run.code, run.stderr).toBe(0);
  }
  return { dir, ids: (await trees(app))[0]!.releases };
}

describe("fap rollback --to", () => {
  it("sends every host to the release named, past newer good ones, and removes the release it left", async () => {
    const { dir, ids: [first, second, third] } = await deployed("to-id", 3);
    const run = await fap(dir, "rollback", "-s", "production", "--to", first!);
    expect(run.code, run.stderr).toBe(0);
    for (const tree of await trees("to-id")) {
      expect(tree.current).toBe(`releases/${first}`);
      expect(tree.releases).toEqual([first, second]);
      expect(readFileSync(tree.local("current/VERSION"), "utf8").trim()).toBe(first);
      expect(tree.log.filter((e) => e.id === third).at(-1)?.status).toBe("rolled-back");
    }
  });

  it("finds the release of a revision the git plugin recorded, by its full sha or a prefix", async () => {
    const repo = gitRepo(work, "to-revision");
    const dir = await env.project({ "deploy.yml": config("to-revision", `plugins: [fapistrano.git]\nrepo: file://${repo.bare}\nbranch: main`, "  updated: echo ok") });
    const shas: string[] = [];
    for (const n of [1, 2, 3]) {
      shas.push(repo.commit({ "VERSION": `v${n}\n` }));
      expect((await fap(dir, "run", "deploy", "-s", "production")).code).toBe(0);
    }
    const releases = (await trees("to-revision"))[0]!.releases;
    const run = await fap(dir, "rollback", "-s", "production", "--to", shas[0]!.slice(0, 10));
    expect(run.code, run.stderr).toBe(0);
    for (const tree of await trees("to-revision")) {
      expect(tree.current).toBe(`releases/${releases[0]}`);
      expect(readFileSync(tree.local("current/VERSION"), "utf8")).toBe("v1\n");
    }
    const full = await fap(dir, "rollback", "-s", "production", "--to", shas[1]!);
    expect(full.code, full.stderr).toBe(0);
    for (const tree of await trees("to-revision")) expect(readFileSync(tree.local("current/VERSION"), "utf8")).toBe("v2\n");
  });

  it("is refused before any phase, naming the host that lacks the release and what it holds", async () => {
    const { dir, ids: [first, second] } = await deployed("to-missing", 2, "  updating: echo \"%(release)s\" > VERSION\n  starting: touch /srv/www/to-missing-started");
    expect((await env.hosts.hosts[1]!.exec(`rm -rf /srv/www/to-missing/releases/${first} /srv/www/to-missing-started`)).exitCode).toBe(0);
    const before = await trees("to-missing");
    const run = await fap(dir, "rollback", "-s", "production", "--to", first!);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^error: rollback --to ${first}: not every host can go there \\(host2: does not hold it \\(runs ${second}; holds ${second}\\)\\); nothing was changed$`, "m"));
    expect(run.stderr).not.toMatch(/host1:|host3:/);
    expect(await trees("to-missing")).toEqual(before.map((t) => ({ ...t, local: expect.any(Function) })));
    expect((await env.hosts.hosts[1]!.exec("test -e /srv/www/to-missing-started")).exitCode).not.toBe(0);

    const same = await fap(dir, "rollback", "-s", "production", "--to", second!);
    expect(same.code).toBe(1);
    expect(same.stderr).toMatch(new RegExp(`host1: already runs ${second}; host2: already runs ${second}; host3: already runs ${second}`));

    const both = await fap(dir, "rollback", "-s", "production", "--to", first!, "--align");
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^error: --to and --align cannot be used together/m);
  });
});

describe("fap releases --mark-bad", () => {
  it("marks a release bad on every host; a plain rollback and --to then skip it", async () => {
    const { dir, ids: [first, second, third] } = await deployed("bad", 3);
    const mark = await fap(dir, "releases", "-s", "production", "--mark-bad", second!);
    expect(mark.code, mark.stderr).toBe(0);
    expect(mark.stdout).toContain(`marked ${second} bad on host1, host2, host3`);
    for (const tree of await trees("bad")) {
      expect(tree.log.filter((e) => e.id === second).at(-1)?.status).toBe("bad");
      expect(tree.current).toBe(`releases/${third}`);
    }
    const list = await fap(dir, "releases", "-s", "production");
    expect(list.stdout).toMatch(new RegExp(`^ +${second} +bad `, "m"));

    const to = await fap(dir, "rollback", "-s", "production", "--to", second!);
    expect(to.code).toBe(1);
    expect(to.stderr).toMatch(new RegExp(`host1: holds ${second} as bad`));

    const run = await fap(dir, "rollback", "-s", "production");
    expect(run.code, run.stderr).toBe(0);
    for (const tree of await trees("bad")) expect(tree.current).toBe(`releases/${first}`);
  });

  it("marks the live release with a warning that it stays live, and refuses an id no host holds", async () => {
    const { dir, ids: [, live] } = await deployed("bad-live", 2);
    const mark = await fap(dir, "releases", "-s", "production", "--mark-bad", live!);
    expect(mark.code, mark.stderr).toBe(0);
    expect(mark.stderr).toMatch(new RegExp(`^warning: ${live} is live on host1, host2, host3 and stays live`, "m"));
    for (const tree of await trees("bad-live")) expect(tree.current).toBe(`releases/${live}`);
    const status = await fap(dir, "status", "-s", "production");
    expect(status.stdout).toContain(`${live} (bad)`);

    const none = await fap(dir, "releases", "-s", "production", "--mark-bad", "19990101-000000");
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^error: no selected host holds release 19990101-000000 \(host1: /m);
    const lockFree = await fap(dir, "status", "-s", "production");
    expect(lockFree.stdout).not.toMatch(/locked/);
  });
});
