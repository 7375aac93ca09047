import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hostTree, runFap } from "../harness.js";
import { useTestHosts } from "../three-hosts.js";

// The release phase: `release_command` runs once per stage, on a primary host, in the new
// release, after every host is prepared and before any host switches. /tmp is the same
// directory on every test host (/srv is each host's own): the hosts write what they did there.
const env = useTestHosts(3);
const shared = mkdtempSync(join(tmpdir(), "fap-release-"));
afterAll(() => rmSync(shared, { recursive: true, force: true }));

/** Who ran it, in which directory, where `current` pointed then, and the .env it saw. */
const RECORD = `echo "release %(stage)s %(host)s $(basename "$(pwd -P)") $(basename "$(readlink %(current_path)s || echo none)") $GREETING" >> ${shared}/LOG`;

function deployYml(app: string, stages: string, top = `release_command: ${JSON.stringify(RECORD)}`, failOn = "nobody"): string {
  return `app_name: ${app}
path: /srv/www/${app}-%(stage)s
environment: { GREETING: hello }
${top}
hooks:
  # host1 is quick, the others slow: the release phase must still wait for them.
  updated: test %(host)s = host1 || sleep 0.4; echo "updated %(stage)s %(host)s" >> ${shared}/LOG; test %(host)s != ${failOn}
stage_role_configs:
${stages}
`;
}

const TWO_STAGES = `  blue:
    app: { hosts: [host1, host2, host3] }
  green:
    app: { hosts: [host1, host2, { host: host3, primary: true }] }`;

const lines = (prefix: string) => readLog().filter((line) => line.startsWith(prefix));
const readLog = () => {
  try {
    return readFileSync(join(shared, "LOG"), "utf8").trim().split("\n");
  } catch {
    return [];
  }
};
const resetLog = () => rmSync(join(shared, "LOG"), { force: true });
const currents = async (path: string) => Promise.all([0, 1, 2].map(async (i) => (await hostTree(env.hosts, i, path)).current));

describe("release_command", () => {
  it("runs once per stage, on the primary host, in the new release with its .env, after every host is prepared and before any switches", async () => {
    resetLog();
    const dir = await env.project({ "deploy.yml": deployYml("two", TWO_STAGES) });
    // -r app: the role in every stage that has it, so one run deploys both stages.
    const first = await runFap(env.hosts, dir, ["run", "deploy", "-r", "app"]);
    expect(first.code, first.stderr).toBe(0);
    const blue = (await hostTree(env.hosts, 0, "/srv/www/two-blue")).releases.at(-1);
    const green = (await hostTree(env.hosts, 2, "/srv/www/two-green")).releases.at(-1);
    expect(lines("release").sort()).toEqual([`release blue host1 ${blue} none hello`, `release green host3 ${green} none hello`]);
    // Every host of the stage had finished `updated` before it ran.
    for (const stage of ["blue", "green"]) {
      const log = readLog().filter((line) => line.split(" ")[1] === stage);
      expect(log.at(-1)).toMatch(/^release /);
      expect(log.filter((line) => line.startsWith("updated"))).toHaveLength(3);
    }
    expect(first.stdout).toMatch(/release_command/);

    resetLog();
    const second = await runFap(env.hosts, dir, ["run", "deploy", "-r", "app"]);
    expect(second.code, second.stderr).toBe(0);
    // In the new release, while `current` still pointed at the one before, on every host.
    const newBlue = (await hostTree(env.hosts, 0, "/srv/www/two-blue")).releases.at(-1);
    expect(lines("release blue")).toEqual([`release blue host1 ${newBlue} ${blue} hello`]);
    expect(lines("release green")).toHaveLength(1);
    expect(await currents("/srv/www/two-blue")).toEqual(Array(3).fill(`releases/${newBlue}`));
  });

  it("set for the stage: once, on the primary of the first role; set in a role only: on that role's primary only", async () => {
    resetLog();
    const stages = `  shared:
    release_command: ${JSON.stringify(RECORD)}
    web: { hosts: [host1, host2] }
    worker: { hosts: [host3] }
  own:
    web: { hosts: [host1, host2] }
    worker: { hosts: [host3], release_command: ${JSON.stringify(RECORD)} }`;
    const dir = await env.project({ "deploy.yml": deployYml("roles", stages, "") });
    for (const stage of ["shared", "own"]) {
      const run = await runFap(env.hosts, dir, ["run", "deploy", "-s", stage]);
      expect(run.code, run.stderr).toBe(0);
    }
    expect(lines("release").map((line) => line.split(" ").slice(0, 3).join(" "))).toEqual(["release shared host1", "release own host3"]);
  });

  it("stops the deploy when it fails: no host switches, the new release is removed everywhere", async () => {
    const good = await env.project({ "deploy.yml": deployYml("failing", TWO_STAGES) });
    expect((await runFap(env.hosts, good, ["run", "deploy", "-s", "blue"])).code).toBe(0);
    const before = await Promise.all([0, 1, 2].map((i) => hostTree(env.hosts, i, "/srv/www/failing-blue")));
    // Two roles in blue: web's primary runs it; worker's primary (host3) only waits for it.
    const bad = await env.project({ "deploy.yml": deployYml("failing", TWO_STAGES.replace("app: { hosts: [host1, host2, host3] }", "app: { hosts: [host1, host2] }\n    worker: { hosts: [host3] }"), `release_command: echo migrating; echo "no database" >&2; exit 3`) });
    const run = await runFap(env.hosts, bad, ["run", "deploy", "-s", "blue"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("host1 | migrating");
    expect(run.stderr).toMatch(/^error: deploy failed on 1 host: host1 \(releasing\): .*release_command exited with 3: no database$/m);
    expect(run.stderr).toMatch(/no host was switched; the new release was removed from every host/);
    const after = await Promise.all([0, 1, 2].map((i) => hostTree(env.hosts, i, "/srv/www/failing-blue")));
    after.forEach((tree, i) => {
      expect(tree.current).toBe(before[i]!.current);
      expect(tree.releases).toEqual(before[i]!.releases);
      expect(tree.log.at(-1)?.status).toBe("failed");
    });
  });

  it("with --max-failed, a primary that failed before it stops the deploy: the others do not switch without it", async () => {
    const good = await env.project({ "deploy.yml": deployYml("dropped", TWO_STAGES) });
    expect((await runFap(env.hosts, good, ["run", "deploy", "-s", "blue"])).code).toBe(0);
    const before = await currents("/srv/www/dropped-blue");
    const bad = await env.project({ "deploy.yml": deployYml("dropped", TWO_STAGES, undefined, "host1") });
    const run = await runFap(env.hosts, bad, ["run", "deploy", "-s", "blue", "--max-failed", "1"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/host1 \(releasing\): release_command did not run: host1, the primary host of blue.app, failed before it/);
    expect(await currents("/srv/www/dropped-blue")).toEqual(before);
  });

  it("quotes the values of %(key)s in it for the shell, as in hooks", async () => {
    resetLog();
    const payload = `a b; touch ${shared}/INJECTED`;
    const dir = await env.project({
      "deploy.yml": deployYml("quoted", TWO_STAGES, `greeting: ${JSON.stringify(payload)}\nrelease_command: echo release %(greeting)s >> ${shared}/LOG`),
    });
    const run = await runFap(env.hosts, dir, ["run", "deploy", "-s", "blue"]);
    expect(run.code, run.stderr).toBe(0);
    expect(lines("release")).toEqual([`release ${payload}`]);
    expect(existsSync(join(shared, "INJECTED"))).toBe(false);
  });

  it("--dry-run prints it and runs nothing; rollback never runs it", async () => {
    resetLog();
    const dir = await env.project({ "deploy.yml": deployYml("dry", TWO_STAGES) });
    const dry = await runFap(env.hosts, dir, ["run", "deploy", "-s", "blue", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`readlink /srv/www/dry-blue/current`);
    expect(lines("release")).toEqual([]);

    for (let i = 0; i < 2; i++) expect((await runFap(env.hosts, dir, ["run", "deploy", "-s", "blue"])).code).toBe(0);
    expect(lines("release")).toHaveLength(2);
    const rollback = await runFap(env.hosts, dir, ["rollback", "-s", "blue"]);
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(lines("release")).toHaveLength(2);
    expect(rollback.stdout).not.toContain("release_command");
  });
});
