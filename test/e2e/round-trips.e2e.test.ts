import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { FAP_BIN, gitRepo, hostTree, runFap, type FapRun } from "../harness.js";
import { useTestHosts } from "../three-hosts.js";

// Two hosts, fap's packages installed in each project (the git plugin, deploy.config.ts plugins).
const env = useTestHosts(2, { installed: true });
// The bare repositories live here: every test host sees the test's temp dir.
const work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-round-trips-")));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The bench's probe: counts the SSH exec channels fap opens per host by wrapping ssh2's Client. */
const PROBE = fileURLToPath(new URL("../../bench/lib/probe.cjs", import.meta.url));

interface Counted {
  code: number;
  stdout: string;
  stderr: string;
  /** Exec channels per host (in host order), and the commands each was opened with. */
  exec: number[];
  commands: string[][];
}

/**
 * Runs fap with the probe preloaded (in fap's own process only: not through NODE_OPTIONS, which
 * a child process would inherit and overwrite the count with its own) and returns what it
 * counted on each host.
 */
async function counted(dir: string, args: string[]): Promise<Counted> {
  const out = path.join(work, `probe-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  const run = await new Promise<FapRun>((resolve) => {
    execFile(
      process.execPath,
      ["--require", PROBE, FAP_BIN, ...args],
      { cwd: dir, env: { ...process.env, ...env.hosts.env, NO_COLOR: "1", GITHUB_STEP_SUMMARY: "", BENCH_PROBE_OUT: out, BENCH_COUNT_CHANNELS: "1" } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
  const probe = JSON.parse(readFileSync(out, "utf8")) as { channels: Record<string, { exec: number; commands: Array<{ command: string }> }> };
  const hosts = env.hosts.hosts.map((host) => Object.entries(probe.channels).find(([key]) => key.endsWith(`:${host.port}`))?.[1]);
  return { ...run, exec: hosts.map((h) => h?.exec ?? 0), commands: hosts.map((h) => h?.commands.map((c) => c.command) ?? []) };
}

const yml = (app: string, top: string, hooks = "", hosts = "[host1]") => `app_name: ${app}
path: /srv/www/%(app_name)s
keep_releases: 2
${top}
${hooks ? `hooks:\n${hooks}` : ""}
stage_role_configs:
  production:
    web:
      hosts: ${hosts}
`;

const repos = new Map<string, ReturnType<typeof gitRepo>>();

/** A project deploying a fresh git repository's main branch with the git plugin. */
async function gitProject(app: string, hooks = "", hosts = "[host1]"): Promise<string> {
  let repo = repos.get(app);
  if (!repo) {
    repo = gitRepo(work, app);
    repo.commit({ "VERSION": "v1\n" });
    repos.set(app, repo);
  }
  return env.project({ "deploy.yml": yml(app, `plugins: [fapistrano.git]\nrepo: file://${repo.bare}\nbranch: main`, hooks, hosts) });
}

const deploy = (dir: string, ...more: string[]) => ["run", "deploy", "-s", "production", ...more];
/** A deploy that put `sha` live on host1 in 3 commands, said it deployed `what` ("branch main") and logged it. */
async function expectDeployedIn3(run: Counted, app: string, what: string, sha: string, version: string): Promise<void> {
  expect(run.code, run.stderr).toBe(0);
  expect(run.exec[0]).toBe(3);
  expect(run.stdout).toContain(`deploying ${what} at ${sha}`);
  const tree = await hostTree(env.hosts, 0, `/srv/www/${app}`);
  expect(readFileSync(tree.local("current/VERSION"), "utf8")).toBe(version);
  expect(readFileSync(tree.local("current/REVISION"), "utf8")).toBe(`${sha}\n`);
  expect(tree.log.at(-1)?.revision).toBe(sha);
}
const lockGone = (app: string, index = 0) => env.hosts.hosts[index]!.exec(`test ! -e /srv/www/${app}/.fap/lock`).then((r) => r.exitCode === 0);

interface JsonLine {
  type: string;
  command?: string;
  phase?: string;
  host?: string;
  line?: string;
  state?: string;
}
const parse = (stdout: string) => stdout.trim().split("\n").map((line) => JSON.parse(line) as JsonLine);

describe("round trips per host", () => {
  it("a steady-state redeploy to one host sends 3 commands: the branch is resolved in the update, the switch rides with the log, prune and unlock", async () => {
    const dir = await gitProject("count");
    for (let n = 0; n < 2; n++) expect((await runFap(env.hosts, dir, deploy(dir))).code).toBe(0);
    const before = await hostTree(env.hosts, 0, "/srv/www/count");

    const run = await counted(dir, deploy(dir));
    expect(run.code, run.stderr).toBe(0);
    const tree = await hostTree(env.hosts, 0, "/srv/www/count");
    expect(run.exec[0], run.commands[0]!.map((c) => c.slice(0, 80)).join("\n")).toBe(3);
    const sha = repos.get("count")!.git("rev-parse", "main").trim();
    expect(run.stdout).toContain(`deploying branch main at ${sha}`);
    expect(readFileSync(tree.local("current/REVISION"), "utf8")).toBe(`${sha}\n`);
    const id = tree.releases.at(-1)!;
    expect(tree.current).toBe(`releases/${id}`);
    expect(tree.releases).toEqual([before.releases.at(-1), id]);
    expect(tree.log.filter((e) => e.id === id).map((e) => e.status)).toEqual(["pending", "live", "ok"]);
    expect(tree.log.filter((e) => e.id === id).at(-1)?.revision).toBe(sha);
    expect(readFileSync(tree.local("current/VERSION"), "utf8")).toBe("v1\n");
    expect(await lockGone("count")).toBe(true);
  });

  it("a rollback on one host sends 2 commands: the lock and read, then the switch with the clean-up and unlock", async () => {
    const dir = await gitProject("back");
    for (let n = 0; n < 2; n++) expect((await runFap(env.hosts, dir, deploy(dir))).code).toBe(0);
    const [older, newer] = (await hostTree(env.hosts, 0, "/srv/www/back")).releases;

    const run = await counted(dir, ["rollback", "-s", "production"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.exec[0]).toBe(2);
    const tree = await hostTree(env.hosts, 0, "/srv/www/back");
    expect(tree.current).toBe(`releases/${older}`);
    expect(tree.releases).toEqual([older]);
    expect(tree.log.filter((e) => e.id === newer).at(-1)?.status).toBe("rolled-back");
    expect(await lockGone("back")).toBe(true);
  });

  it("a switch that fails in the folded command is reported in publishing, switched back, and the lock is freed", async () => {
    // A directory in the way of the switch's temporary link: `mv -T` cannot put it over `current`.
    const dir = await gitProject("blocked", "  updated: mkdir -p /srv/www/blocked/.current-%(release)s.tmp/in-the-way");
    const plain = await gitProject("blocked");
    expect((await runFap(env.hosts, plain, deploy(plain))).code).toBe(0);
    const before = await hostTree(env.hosts, 0, "/srv/www/blocked");

    const run = await runFap(env.hosts, dir, deploy(dir));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: deploy failed on 1 host: host1 \(publishing\): \[fap:core\] publishing: `test -d \/srv\/www\/blocked\/releases\/\S+ && ln -sfn .*exited with 1: mv: cannot overwrite non-directory/m);
    expect(run.stderr).toMatch(/^hint: every host was switched back to the release it had before$/m);
    expect(run.stdout).toMatch(/^host1 +\S+ +failed in publishing; switched back /m);
    const tree = await hostTree(env.hosts, 0, "/srv/www/blocked");
    expect(tree.current).toBe(before.current);
    expect(tree.releases).toEqual(before.releases);
    expect(tree.log.at(-1)?.status).toBe("failed");
    expect(tree.log.some((e) => e.status === "ok" && !before.releases.includes(e.id))).toBe(false);
    expect(await lockGone("blocked")).toBe(true);
  });

  it("a directory named current on a first deploy: the failed switch is reported, and the lock and the new release's clean-up are as before", async () => {
    const dir = await gitProject("dircurrent");
    expect((await env.hosts.hosts[0]!.exec("mkdir -p /srv/www/dircurrent/current/kept")).exitCode).toBe(0);

    const run = await runFap(env.hosts, dir, deploy(dir));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: deploy failed on 1 host: host1 \(publishing\): \[fap:core\] publishing: `test -d .*exited with 1: mv: cannot overwrite directory/m);
    // Undoing a first publish removes `current`: here a directory, which `rm -f` refuses, and that is said.
    expect(run.stderr).toMatch(/^hint: host1: NOT switched back: the undo command failed on the host \(exit 1: rm: cannot remove '\/srv\/www\/dircurrent\/current': Is a directory\)/m);
    expect(await lockGone("dircurrent")).toBe(true);
    const tree = await hostTree(env.hosts, 0, "/srv/www/dircurrent");
    expect(tree.log.some((e) => e.status === "ok")).toBe(false);
  });

  it("hooks on published and finished still run after the switch and before the unlock, each in its own command", async () => {
    const seen = "/srv/www/order/seen";
    const hooks = `  published: test -d /srv/www/order/.fap/lock && readlink /srv/www/order/current > ${seen}\n  finished: test -d /srv/www/order/.fap/lock && echo finished-locked >> ${seen}`;
    const dir = await gitProject("order", hooks);
    expect((await runFap(env.hosts, dir, deploy(dir))).code).toBe(0);

    const run = await counted(dir, deploy(dir, "--json"));
    expect(run.code, run.stderr).toBe(0);
    const tree = await hostTree(env.hosts, 0, "/srv/www/order");
    expect(readFileSync(tree.local("seen"), "utf8")).toBe(`${tree.current}\nfinished-locked\n`);
    // lock and read, git (ls-remote with the update), publish, published, finished, unlock.
    expect(run.exec[0]).toBe(6);
    const commands = parse(run.stdout).filter((e) => e.type === "command");
    expect(commands.map((c) => c.phase)).toEqual(["updating", "publishing", "published", "finished", undefined]);
    expect(commands[2]!.command).not.toMatch(/fap_undo/);
    expect(commands.at(-1)!.command).toMatch(/^fap_undo=lock; /);
    expect(await lockGone("order")).toBe(true);
  });

  it("a plugin tapping published keeps the separate unlock: it runs while the lock is held", async () => {
    const config = `import { defineConfig, type FapPlugin } from "@fap/cli";
const watcher: FapPlugin = {
  name: "watcher",
  apply({ hooks }) {
    hooks.published.tapPromise("watcher", async (ctx) => { await ctx.run("test -d /srv/www/tapped/.fap/lock"); });
  },
};
export default defineConfig({
  app_name: "tapped",
  path: "/srv/www/%(app_name)s",
  plugins: [watcher],
  stage_role_configs: { production: { web: { hosts: ["host1"] } } },
});
`;
    const dir = await env.project({ "deploy.config.ts": config });
    const run = await counted(dir, deploy(dir, "--json"));
    expect(run.code, run.stderr).toBe(0);
    const commands = parse(run.stdout).filter((e) => e.type === "command");
    // The release directory, deferred in starting, goes out at the end of updated: nothing else ran there.
    expect(commands.map((c) => c.phase)).toEqual(["updated", "publishing", "published", undefined]);
    expect(commands[1]!.command).not.toMatch(/fap_undo/);
    expect(run.exec[0]).toBe(5);
    expect(await lockGone("tapped")).toBe(true);
  });

  it("--dry-run shows the same commands as the run: the switch with the unlock, and nothing after it", async () => {
    const dir = await gitProject("dry");
    expect((await runFap(env.hosts, dir, deploy(dir))).code).toBe(0);
    const shape = (stdout: string) => parse(stdout).filter((e) => e.type === "command").map((c) => `${c.phase} ${/fap_undo/.test(c.command!) ? "unlock" : ""}`);
    const dry = await runFap(env.hosts, dir, deploy(dir, "--dry-run", "--json"));
    expect(dry.code, dry.stderr).toBe(0);
    const real = await runFap(env.hosts, dir, deploy(dir, "--json"));
    expect(real.code, real.stderr).toBe(0);
    // The dry run shows the release directory's command where it is made (starting); the run
    // defers it. It also runs the read-only ls-remote (started), for the commit it names; the
    // run's update resolves the branch itself, and the dry run shows that very command.
    expect(shape(dry.stdout)).toEqual(["starting ", "started ", "updating ", "publishing unlock"]);
    expect(shape(real.stdout)).toEqual(shape(dry.stdout).slice(2));
    const updating = (stdout: string) => {
      const command = parse(stdout).find((c) => c.type === "command" && c.phase === "updating")!.command!;
      return command.slice(command.indexOf("set -e\n"));
    };
    expect(updating(real.stdout).replace(/releases\/[^/ ']+/g, "R")).toBe(updating(dry.stdout).replace(/releases\/[^/ ']+/g, "R"));
  });

  describe("one host whose update resolves the branch: the errors of a separate lookup", () => {
    /** A project at `branch` of repo `app` (made with one commit), deployed once already. */
    async function deployed(app: string): Promise<{ dir: string; repo: ReturnType<typeof gitRepo>; before: Awaited<ReturnType<typeof hostTree>> }> {
      const dir = await gitProject(app);
      expect((await runFap(env.hosts, dir, deploy(dir))).code).toBe(0);
      return { dir, repo: repos.get(app)!, before: await hostTree(env.hosts, 0, `/srv/www/${app}`) };
    }
    const unchanged = async (app: string, before: Awaited<ReturnType<typeof hostTree>>) => {
      const tree = await hostTree(env.hosts, 0, `/srv/www/${app}`);
      expect(tree.current).toBe(before.current);
      expect(tree.releases).toEqual(before.releases);
      expect(await lockGone(app)).toBe(true);
    };

    it("a branch that does not exist: one line with its hint, exit 2, no new release, lock freed", async () => {
      const { dir, repo, before } = await deployed("nobranch");
      const run = await counted(dir, deploy(dir, "--branch=no-such-branch"));
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`^error: deploy failed on 1 host: host1 \\(updating\\): \\[fap:git\\] updating: branch 'no-such-branch' is not a branch, tag or commit of file://${repo.bare}$`, "m"));
      expect(run.stderr).toMatch(new RegExp(`^hint: list the branches with: git ls-remote --heads file://${repo.bare} \\(tags: --tags\\); no host was switched; the new release was removed from every host$`, "m"));
      expect(run.stderr).not.toMatch(/::fap-git|\n\s+at /);
      await unchanged("nobranch", before);
    });

    it("an unreachable repository: cannot read, with git's reason and the hint; nothing left", async () => {
      const { dir, before } = await deployed("unreach");
      const missing = path.join(work, "gone.git");
      const run = await counted(dir, deploy(dir, `--repo=${missing}`));
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`^error: deploy failed on 1 host: host1 \\(updating\\): \\[fap:git\\] updating: cannot read ${missing}: fatal: '${missing}' does not appear to be a git repository$`, "m"));
      expect(run.stderr).toMatch(/^hint: check repo, and that this host can reach it/m);
      expect(run.stderr).not.toMatch(/::fap-git/);
      // The lock and read, the update that fails, the release removed with the unlock.
      expect(run.exec[0]).toBe(3);
      await unchanged("unreach", before);
    });

    it("an annotated tag deploys its commit in 3 commands; an abbreviated sha keeps its lookup", async () => {
      const { dir, repo } = await deployed("tagged");
      const tagged = repo.commit({ VERSION: "v2\n" });
      repo.git("tag", "-a", "-m", "release 2", "v2", tagged);
      repo.commit({ VERSION: "v3\n" });
      repo.publish();
      await expectDeployedIn3(await counted(dir, deploy(dir, "--branch=v2")), "tagged", "tag v2", tagged, "v2\n");

      const short = await counted(dir, deploy(dir, `--branch=${tagged.slice(0, 9)}`));
      expect(short.code, short.stderr).toBe(0);
      expect(short.exec[0]).toBe(4);
      expect(short.stdout).toContain(`deploying commit ${tagged}`);
      const missing = await counted(dir, deploy(dir, "--branch=0badc0de"));
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/^error: deploy failed on 1 host: host1 \(started\): \[fap:git\] started: branch '0badc0de' is not a branch, tag or commit of /m);
      const tree = await hostTree(env.hosts, 0, "/srv/www/tagged");
      expect(tree.releases.length).toBe(2);
      expect(await lockGone("tagged")).toBe(true);
    });
  });

  describe("one host's first deploy: the branch fetched by name into the new mirror, the lookup only when that finds nothing", () => {
    const mirror = (app: string) => env.hosts.hosts[0]!.local(`/srv/www/${app}/repo`);
    const gitIn = (dir: string, ...args: string[]) => execFileSync("git", ["-C", dir, ...args], { encoding: "utf8" }).trim();

    it("a branch, with a tag of the same name: the branch's commit, in 3 commands; the mirror's origin is the repo, and no ref is stored", async () => {
      const dir = await gitProject("first");
      const repo = repos.get("first")!;
      repo.git("tag", "main", "HEAD");
      const sha = repo.commit({ VERSION: "v2\n" });
      await expectDeployedIn3(await counted(dir, deploy(dir)), "first", "branch main", sha, "v2\n");
      expect(gitIn(mirror("first"), "config", "--get-all", "remote.origin.url")).toBe(`file://${repo.bare}`);
      expect(gitIn(mirror("first"), "for-each-ref")).toBe("");
    });

    it("a tag: found by the lookup, its commit deployed, in 3 commands", async () => {
      const dir = await gitProject("firsttag");
      const repo = repos.get("firsttag")!;
      repo.git("tag", "-a", "-m", "release 1", "v1");
      const tagged = repo.git("rev-parse", "HEAD");
      repo.commit({ VERSION: "v2\n" });
      await expectDeployedIn3(await counted(dir, deploy(dir, "--branch=v1")), "firsttag", "tag v1", tagged, "v1\n");
      expect(gitIn(mirror("firsttag"), "config", "--get-all", "remote.origin.url")).toBe(`file://${repo.bare}`);
    });

    it("a branch that does not exist, or a repository it cannot read: the lookup's own errors, no release, lock freed", async () => {
      const dir = await gitProject("firstmiss");
      const repo = repos.get("firstmiss")!;
      const missing = await counted(dir, deploy(dir, "--branch=no-such-branch"));
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(new RegExp(`^error: deploy failed on 1 host: host1 \\(updating\\): \\[fap:git\\] updating: branch 'no-such-branch' is not a branch, tag or commit of file://${repo.bare}$`, "m"));
      const gone = path.join(work, "gone-first.git");
      const unreadable = await counted(await gitProject("firstgone"), deploy(dir, `--repo=${gone}`));
      expect(unreadable.code).toBe(1);
      expect(unreadable.stderr).toMatch(new RegExp(`^error: deploy failed on 1 host: host1 \\(updating\\): \\[fap:git\\] updating: cannot read ${gone}: fatal: '${gone}' does not appear to be a git repository$`, "m"));
      for (const run of [missing, unreadable]) expect(run.stderr).not.toMatch(/::fap-git|\n\s+at /);
      for (const app of ["firstmiss", "firstgone"]) {
        const tree = await hostTree(env.hosts, 0, `/srv/www/${app}`);
        expect(tree.current).toBeUndefined();
        expect(tree.releases).toEqual([]);
        expect(await lockGone(app)).toBe(true);
      }
    });
  });

  it("two hosts keep the barrier between switching and unlocking: one command more each", async () => {
    const dir = await gitProject("pair", "", "[host1, host2]");
    expect((await runFap(env.hosts, dir, deploy(dir))).code).toBe(0);
    const run = await counted(dir, deploy(dir));
    expect(run.code, run.stderr).toBe(0);
    expect(run.exec).toEqual([5, 4]);
    expect(await lockGone("pair", 0)).toBe(true);
    expect(await lockGone("pair", 1)).toBe(true);
  });
});
