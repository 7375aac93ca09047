import { lstatSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectQuietSuccess, gitRepo, hostTree, projectDir, runFap, startTestHosts, type FapRun, type GitRepo, type TestHosts } from "../../../test/harness.js";
import { freePort, httpGet, linkPlugins, startSupervisord, stopSupervisord, SUPERVISOR_DIR, SUPERVISORD_CONF } from "../../plugin-supervisorctl/test/_fixtures.js";
import { APP_PY, PROGRAM_CONF } from "./_app.js";

// Four real sshd hosts, each running its own supervisord and the app on its own port. fap
// deploys with git + supervisorctl + healthcheck; after every run the test GETs each host's
// app itself, so "back on the previous release" means the old code answers, not only that
// `current` points back.
let hosts: TestHosts;
let work: string;
let repo: GitRepo;
const ports: number[] = [];
const cleanups: Array<() => Promise<void>> = [];
let dir: string;
const fap = (...args: string[]): Promise<FapRun> => runFap(hosts, dir, args);

beforeAll(async () => {
  work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-healthcheck-")));
  repo = gitRepo(work, "shop");
  hosts = await startTestHosts({ count: 4 });
  for (const host of hosts.hosts) {
    const port = await freePort();
    ports.push(port);
    await startSupervisord(host, port);
  }
  const roles = hosts.hosts
    .map((host, i) => `    web${i + 1}:\n      hosts: [${host.alias}]\n      app_port: ${ports[i]}\n`)
    .join("");
  const p = await projectDir({
    "deploy.yml": `plugins:
  - fapistrano.supervisorctl
  - fapistrano.git
  - healthcheck
repo: ${JSON.stringify(`file://${repo.bare}`)}
branch: main
app_name: shop
path: /srv/www/%(app_name)s
supervisor_conf: configs/shop.conf
supervisor_config: ${SUPERVISORD_CONF}
supervisor_target: ${SUPERVISOR_DIR}/conf.d/shop.conf
healthcheck_url: http://127.0.0.1:%(app_port)s/up
healthcheck_expect_body: ready
healthcheck_retries: 3
healthcheck_interval: 0.5
stage_role_configs:
  production:
${roles}`,
  });
  cleanups.push(p.cleanup);
  dir = p.dir;
  linkPlugins(dir, ["plugin-git", "plugin-supervisorctl", "plugin-healthcheck"]);
}, 60_000);

afterAll(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
  if (hosts) await Promise.all(hosts.hosts.map((host) => stopSupervisord(host)));
  await hosts?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Commits a release whose NAME file says its name; `files` may break it. */
function release(name: string, files: Record<string, string> = {}): void {
  repo.commit({ "app.py": APP_PY, "configs/shop.conf": PROGRAM_CONF, NAME: name, BROKEN: "", FLAKY: "", ...files }, name);
}

const answers = () => Promise.all(ports.map((port) => httpGet(port)));
const pids = () => Promise.all(ports.map((port) => httpGet(port, "/pid")));
const currents = () => Promise.all(hosts.hosts.map(async (_, i) => (await hostTree(hosts, i, "/srv/www/shop")).current));
/** The `current` symlink itself (its inode): a link rewritten even to the same target is a new one. */
const links = () => hosts.hosts.map((host) => lstatSync(host.local("/srv/www/shop/current")).ino);
const serving = (name: string) => ports.map(() => `serving ${name}\n`);

describe("@fap/plugin-healthcheck on four hosts", () => {
  it("fap doctor checks that every host has curl or wget", async () => {
    const run = await fap("doctor", "-s", "production");
    expect(run.stdout.match(/^ {2}✓ curl\|wget +curl is \/\S+\/curl$/gm)).toHaveLength(4);
  }, 60_000);

  it("checks every host once its batch is live", async () => {
    release("one");
    const run = await fap("run", "deploy", "-s", "production", "--batch", "2");
    expectQuietSuccess(run);
    expect(await answers()).toEqual(serving("one"));
    for (const [i, host] of hosts.hosts.entries()) {
      expect(run.stdout).toMatch(new RegExp(`${host.alias} +\\| http://127\\.0\\.0\\.1:${ports[i]}/up healthy \\(1 try|${host.alias} +\\| http://127\\.0\\.0\\.1:${ports[i]}/up healthy \\(\\d tries`));
    }
    // Batch by batch: the first batch is checked before the second one is switched.
    expect(run.stdout.indexOf(`${hosts.hosts[1]!.alias} | http`)).toBeLessThan(run.stdout.lastIndexOf("▸ publishing"));
  }, 120_000);

  it("puts every host back, the first batch included, when one host of the second batch is unhealthy", async () => {
    const before = await currents();
    release("two", { BROKEN: String(ports[3]) });
    const run = await fap("run", "deploy", "-s", "production", "--batch", "2");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error: deploy failed on 1 host: host4 (checking): [fap:healthcheck] checking: unhealthy after 4 tries`);
    expect(run.stderr).toContain(`http://127.0.0.1:${ports[3]}/up answered 500, not 200: "broken on purpose on port ${ports[3]}"`);
    expect(run.stderr).toMatch(/^hint: .*; every host was switched back to the release it had before$/m);
    // The first batch was live on "two" and is back on "one": current, and the app that answers.
    expect(run.stdout).toMatch(/host1 +\| http:\/\/127\.0\.0\.1:\d+\/up healthy/);
    expect(await currents()).toEqual(before);
    expect(await answers()).toEqual(serving("one"));
    for (const i of [0, 1, 2, 3]) expect((await hostTree(hosts, i, "/srv/www/shop")).log.at(-1)).toMatchObject({ status: "failed" });
    expect((await hostTree(hosts, 3, "/srv/www/shop")).log.at(-1)).toMatchObject({ healthcheck: expect.stringMatching(/^unhealthy after 4 tries, .* answered 500, not 200: "broken on purpose/) });
  }, 120_000);

  it("with --canary 1, a failing canary leaves every other host untouched", async () => {
    const before = await currents();
    const pidsBefore = await pids();
    const linksBefore = links();
    release("three", { BROKEN: String(ports[0]) });
    const run = await fap("run", "deploy", "-s", "production", "--canary", "1", "--batch", "2");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("▸ canary: publishing host1 first");
    expect(run.stdout).toContain("▸ canary: host1 failed; no other host was switched");
    expect(run.stderr).toContain(`error: deploy failed on 1 host: host1 (checking): [fap:healthcheck] checking: unhealthy after 4 tries`);
    expect(await currents()).toEqual(before);
    expect(await answers()).toEqual(serving("one"));
    // Never switched, never restarted: the same processes answer on hosts 2-4.
    expect((await pids()).slice(1)).toEqual(pidsBefore.slice(1));
    expect((await pids())[0]).not.toBe(pidsBefore[0]);
    expect(links().slice(1)).toEqual(linksBefore.slice(1));
    expect(run.stdout).toMatch(/host2 +\d{6}-\d{6} +not switched/);
  }, 120_000);

  it("checks the canary again after --canary-wait: an app that falls over after its first answer is caught", async () => {
    release("four", { FLAKY: "yes" });
    const run = await fap("run", "deploy", "-s", "production", "--canary", "1", "--canary-wait", "1", "--healthcheck-retries=0");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("▸ canary: host1 healthy; checking again in 1 s");
    expect(run.stderr).toContain(`answered 503, not 200: "fell over after the first check"`);
    expect(await answers()).toEqual(serving("one"));
  }, 120_000);

  it("--dry-run shows the canary and each host's check, and changes nothing", async () => {
    const before = await currents();
    release("dry");
    const run = await fap("run", "deploy", "-s", "production", "--canary", "1", "--dry-run");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("▸ canary: publishing host1 first");
    expect(run.stdout).toMatch(/host3 +\| \$ IFS= read -r url \|\| true/);
    expect(run.stdout).not.toContain("/up");
    expect(await currents()).toEqual(before);
  }, 120_000);

  it("publishes the rest after a healthy canary, with canary events in --json", async () => {
    release("five");
    const run = await fap("run", "deploy", "-s", "production", "--canary", "1", "--canary-wait", "0.5", "--batch", "2", "--json");
    expect(run.code).toBe(0);
    const events = run.stdout.trim().split("\n").map((line) => JSON.parse(line) as { type: string; state?: string; hosts?: string[]; phase?: string; waitMs?: number });
    expect(events.filter((e) => e.type === "canary").map(({ state, hosts, waitMs }) => ({ state, hosts, waitMs }))).toEqual([
      { state: "publish", hosts: ["host1"], waitMs: undefined },
      { state: "wait", hosts: ["host1"], waitMs: 500 },
      { state: "passed", hosts: ["host1"], waitMs: undefined },
    ]);
    // checking: host1, host1 again, then two batches of the others.
    expect(events.filter((e) => e.type === "phase" && e.phase === "checking" && e.state === "start").length).toBe(4);
    expect(await answers()).toEqual(serving("five"));
  }, 120_000);

  it("fap restart --batch 2 checks each batch, and stops at an unhealthy one", async () => {
    const ok = await fap("restart", "-s", "production", "--batch", "2");
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.match(/^host\d +\| http:\/\/127\.0\.0\.1:\d+\/up healthy/gm)).toHaveLength(4);
    // The live release breaks on host2 (as a bad config or a full disk would): the second batch is never restarted.
    writeFileSync(hosts.hosts[1]!.local("/srv/www/shop/current/BROKEN"), `${ports[1]}\n`);
    const pidsBefore = await pids();
    const bad = await fap("restart", "-s", "production", "--batch", "2");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`host2 (checking): [fap:healthcheck] checking: unhealthy after 4 tries`);
    expect((await pids()).slice(2)).toEqual(pidsBefore.slice(2));
  }, 120_000);
});
