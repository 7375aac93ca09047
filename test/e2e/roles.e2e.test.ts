import { lstatSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hostTree, runFap } from "../harness.js";
import { useTestHosts } from "../three-hosts.js";

// One host serving several targets: two roles on one path (one release, Capistrano's way), and
// one role of two stages on two paths (each target its own row, result and releases).
const env = useTestHosts(1);
const host = () => env.hosts.hosts[0]!;
const fap = (dir: string, ...args: string[]) => runFap(env.hosts, dir, args);

/** Writes FILE into the host's shared/ of `deployPath`, as an operator would. */
function putShared(deployPath: string, file: string, content: string): void {
  const local = host().local(path.posix.join(deployPath, "shared", file));
  mkdirSync(path.dirname(local), { recursive: true });
  writeFileSync(local, content);
}

/** Every line of a --json run, parsed. */
function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** worker and cron on host1, one path, each linking its own conf and running its own hooks. */
function jobsConfig(app: string, extraCron = "", hooks = ""): string {
  return `app_name: ${app}
path: /srv/www/%(app_name)s
hooks:
  updating: echo "%(role)s" >> ROLES
${hooks}
stage_role_configs:
  production:
    worker:
      hosts: [host1]
      linked_files: [worker.conf]
    cron:
      hosts: [host1]
      linked_files: [cron.conf]
${extraCron}
`;
}

describe("two roles on one host and one path", () => {
  it("get one release per run, the lock once, and each role's own linked files and hooks", async () => {
    const root = "/srv/www/jobs";
    putShared(root, "worker.conf", "worker\n");
    putShared(root, "cron.conf", "cron\n");
    const dir = await env.project({ "deploy.yml": jobsConfig("jobs") });

    const first = await fap(dir, "deploy", "-s", "production");
    expect(first.code, `${first.stdout}\n${first.stderr}`).toBe(0);
    const second = await fap(dir, "deploy", "-s", "production", "--json");
    expect(second.code, second.stderr).toBe(0);

    const tree = await hostTree(env.hosts, 0, root);
    expect(tree.releases).toHaveLength(2);
    // One pending, live and ok line per release, not one per role.
    for (const id of tree.releases) expect(tree.log.filter((e) => e.id === id).map((e) => e.status)).toEqual(["pending", "live", "ok"]);
    expect(readFileSync(tree.local("current/ROLES"), "utf8")).toBe("worker\ncron\n");
    for (const role of ["worker", "cron"]) {
      expect(readlinkSync(tree.local(`current/${role}.conf`))).toBe(`${root}/shared/${role}.conf`);
    }
    const results = jsonLines(second.stdout).filter((e) => e.type === "host-result");
    expect(results.map((r) => [r.stage, r.role, r.state])).toEqual([
      ["production", "worker", "done"],
      ["production", "cron", "done"],
    ]);
    expect(existsOnHost(`${root}/.fap/lock`)).toBe(false);
  });

  it("are switched back together when one role fails after publishing", async () => {
    const root = "/srv/www/jobsback";
    putShared(root, "worker.conf", "worker\n");
    putShared(root, "cron.conf", "cron\n");
    const dir = await env.project({ "deploy.yml": jobsConfig("jobsback") });
    expect((await fap(dir, "deploy", "-s", "production")).code).toBe(0);
    const before = await hostTree(env.hosts, 0, root);

    const failing = await env.project({ "deploy.yml": jobsConfig("jobsback", "", "  published: test %(role)s != cron") });
    const run = await fap(failing, "deploy", "-s", "production", "--json");
    expect(run.code).toBe(1);
    const results = jsonLines(run.stdout).filter((e) => e.type === "host-result");
    expect(results.map((r) => [r.role, r.state, r.phase ?? null])).toEqual([
      ["worker", "switched-back", null],
      ["cron", "switched-back", "published"],
    ]);
    const after = await hostTree(env.hosts, 0, root);
    expect(after.current).toBe(before.current);
    expect(after.releases).toEqual(before.releases);
    expect(existsOnHost(`${root}/.fap/lock`)).toBe(false);
  });

  it("refuses roles of one release that disagree on a value of the release, naming both and the key", async () => {
    const dir = await env.project({ "deploy.yml": jobsConfig("jobsbad", "      keep_releases: 2") });
    const run = await fap(dir, "deploy", "-s", "production");
    expect(run.code).toBe(2); // a mistake in the config
    expect(run.stderr).toMatch(/^error: production\.worker and production\.cron deploy to \/srv\/www\/jobsbad on host1 but differ in keep_releases \(5 and 2\)$/m);
    expect(run.stderr).toMatch(/^hint: /m);
    expect(run.stderr).not.toMatch(/ at .*\.js:\d+/);
    expect(existsOnHost("/srv/www/jobsbad/.fap/lock")).toBe(false);
  });
});

/** production.web and staging.web on host1, each at its own path. */
const STAGES = `app_name: twostages
hooks:
  updating: echo "%(stage)s" > STAGE
stage_role_configs:
  production:
    web:
      hosts: [host1]
      path: /srv/www/prod
    worker:
      hosts: [host1]
      path: /srv/www/prodworker
  staging:
    web:
      hosts: [host1]
      path: /srv/www/stag
`;

describe("one host in two stages (or roles) at different paths", () => {
  it("reports each target on its own: summary rows, host-result, a failure only where it happened", async () => {
    const dir = await env.project({ "deploy.yml": STAGES });
    expect((await fap(dir, "deploy", "-r", "web")).code).toBe(0);

    const failing = await env.project({ "deploy.yml": STAGES.replace("      path: /srv/www/stag", "      path: /srv/www/stag\n      hooks: { updated: exit 3 }") });
    const run = await fap(failing, "deploy", "-r", "web", "--json");
    expect(run.code).toBe(1);
    const results = jsonLines(run.stdout).filter((e) => e.type === "host-result");
    expect(results.map((r) => [r.stage, r.role, r.state, r.phase ?? null])).toEqual([
      ["production", "web", "not-switched", null],
      ["staging", "web", "not-switched", "updated"],
    ]);
    const summary = jsonLines(run.stdout).find((e) => e.type === "summary") as { targets: Array<{ stage: string; phase?: string }> };
    expect(summary.targets.map((t) => [t.stage, t.phase ?? null])).toEqual([
      ["production", null],
      ["staging", "updated"],
    ]);

    const human = await fap(failing, "deploy", "-r", "web");
    const table = human.stdout.slice(human.stdout.lastIndexOf("deploy: failed"));
    expect(table).toMatch(/^host\s+stage\s+role\s+release\s+result/m);
    expect(table).toMatch(/^host1\s+production\s+web\s+\S+\s+not switched\s/m);
    expect(table).toMatch(/^host1\s+staging\s+web\s+\S+\s+failed in updated; not switched\s/m);
  });

  it("fap once prefixes each line with its target when a host serves several", async () => {
    const dir = await env.project({ "deploy.yml": STAGES });
    expect((await fap(dir, "deploy", "-r", "web")).code).toBe(0);
    const run = await fap(dir, "once", "-r", "web", "-c", "cat STAGE");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^host1 \(production\.web\)\s*\| production$/m);
    expect(run.stdout).toMatch(/^host1 \(staging\.web\)\s*\| staging$/m);
    const json = await fap(dir, "once", "-r", "web", "-c", "cat STAGE", "--json");
    const results = jsonLines(json.stdout).filter((e) => e.type === "host-result");
    // One result per target (their order is core's once-results-order test's).
    expect(results.map((r) => [r.stage, r.role, r.ok]).sort()).toEqual([
      ["production", "web", true],
      ["staging", "web", true],
    ]);
  });

  it("fap releases lists each role's own releases, one current each, with stage and role in --json", async () => {
    const dir = await env.project({ "deploy.yml": STAGES });
    expect((await fap(dir, "deploy", "-s", "production")).code).toBe(0);
    expect((await fap(dir, "deploy", "-s", "production", "-r", "web")).code).toBe(0);
    const web = (await hostTree(env.hosts, 0, "/srv/www/prod")).releases;
    const worker = (await hostTree(env.hosts, 0, "/srv/www/prodworker")).releases;

    const run = await fap(dir, "releases", "-s", "production");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.match(/← current/g)).toHaveLength(2);
    const [webPart, workerPart] = run.stdout.split(/\n\n/);
    expect(webPart).toMatch(/^host1 \(production\.web\)$/m);
    expect(webPart!.match(/^ {2}[ *] {2}\S+/gm)).toHaveLength(web.length);
    expect(workerPart).toMatch(/^host1 \(production\.worker\)$/m);
    expect(workerPart!.match(/^ {2}[ *] {2}\S+/gm)).toHaveLength(worker.length);

    const json = jsonLines((await fap(dir, "releases", "-s", "production", "--json")).stdout);
    expect(json.filter((r) => r.role === "web").map((r) => r.id)).toEqual([...web].reverse());
    expect(json.filter((r) => r.role === "worker").map((r) => r.id)).toEqual([...worker].reverse());
    expect(json.every((r) => r.stage === "production" && r.host === "host1")).toBe(true);
  });
});

function existsOnHost(remotePath: string): boolean {
  try {
    lstatSync(host().local(remotePath));
    return true;
  } catch {
    return false;
  }
}
