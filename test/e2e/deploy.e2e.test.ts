import { lstatSync, readFileSync, readlinkSync, writeFileSync, mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostTree, projectDir, runFap, startTestHosts, type TestHosts } from "../harness.js";

let hosts: TestHosts;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  hosts = await startTestHosts({ count: 3 });
});
afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
  await hosts?.stop();
});

/** A deploy.yml for the three test hosts; `app` names the deploy path so tests don't share one. */
function deployYml(app: string, extra = "", role = "") {
  return `app_name: ${app}
path: /srv/www/%(app_name)s
keep_releases: 5
${extra}
stage_role_configs:
  production:
    web:
      hosts: [host1, host2, host3]
      linked_files:
        - config/settings.env
      linked_dirs: log
      hooks:
        updating: mkdir -p app && echo "%(release)s" > app/VERSION
${role}
`;
}

async function project(yml: string) {
  const p = await projectDir({ "deploy.yml": yml });
  cleanups.push(p.cleanup);
  return p.dir;
}

describe("fap run deploy", () => {
  it("builds a release on every host, links shared files and switches current", async () => {
    const dir = await project(deployYml("twice"));
    // A secret kept in shared/ before the first deploy must survive every deploy.
    for (const host of hosts.hosts) {
      mkdirSync(host.local("/srv/www/twice/shared/config"), { recursive: true });
      writeFileSync(host.local("/srv/www/twice/shared/config/settings.env"), "SECRET=1\n");
    }
    const first = await runFap(hosts, dir, ["run", "deploy", "-s", "production"]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const second = await runFap(hosts, dir, ["release", "-s", "production", "-r", "web"]);
    expect(second.code).toBe(0);

    for (let i = 0; i < 3; i++) {
      const tree = await hostTree(hosts, i, "/srv/www/twice");
      expect(tree.releases).toHaveLength(2);
      const newest = tree.releases.at(-1)!;
      expect(tree.current).toBe(`releases/${newest}`);
      expect(readFileSync(tree.local("current/app/VERSION"), "utf8").trim()).toBe(newest);
      const linked = tree.local(`releases/${newest}/config/settings.env`);
      expect(lstatSync(linked).isSymbolicLink()).toBe(true);
      expect(readlinkSync(linked)).toBe("/srv/www/twice/shared/config/settings.env");
      expect(readFileSync(tree.local("shared/config/settings.env"), "utf8")).toBe("SECRET=1\n");
      expect(readlinkSync(tree.local(`releases/${newest}/log`))).toBe("/srv/www/twice/shared/log");
      expect(tree.log.map((e) => [e.id, e.status])).toEqual([
        [tree.releases[0], "pending"],
        [tree.releases[0], "live"],
        [tree.releases[0], "ok"],
        [newest, "pending"],
        [newest, "live"],
        [newest, "ok"],
      ]);
      expect(tree.log[1]).toMatchObject({ user: expect.any(String), time: expect.any(String), deploy: expect.any(String) });
    }
    expect(second.stdout).toMatch(/▸ publishing \(3 hosts\)/);
    expect(second.stdout).toMatch(/host1\s+\S+\s+ok/);
  });

  it("keeps keep_releases good releases after seven deploys", async () => {
    const dir = await project(deployYml("seven"));
    for (let n = 0; n < 7; n++) {
      const run = await runFap(hosts, dir, ["run", "deploy", "-s", "production"]);
      expect(run.code, run.stderr).toBe(0);
    }
    for (let i = 0; i < 3; i++) {
      const tree = await hostTree(hosts, i, "/srv/www/seven");
      expect(tree.releases).toHaveLength(5);
      expect(tree.current).toBe(`releases/${tree.releases.at(-1)}`);
    }
  });

  it("moves no current when one host fails while updating, and removes the new release", async () => {
    const good = await project(deployYml("fails"));
    expect((await runFap(hosts, good, ["run", "deploy", "-s", "production"])).code).toBe(0);
    const before = await Promise.all([0, 1, 2].map((i) => hostTree(hosts, i, "/srv/www/fails")));

    // %(host)s is quoted into the command; the test exits 1 on host2 only.
    const bad = await project(deployYml("fails").replace('echo "%(release)s" > app/VERSION', "test %(host)s != host2"));
    const result = await runFap(hosts, bad, ["run", "deploy", "-s", "production"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: deploy failed on 1 host: host2 \(updating\)/);
    expect(result.stderr).toMatch(/no host was switched/);
    expect(result.stderr).not.toMatch(/\n\s+at /);

    for (let i = 0; i < 3; i++) {
      const tree = await hostTree(hosts, i, "/srv/www/fails");
      expect(tree.current).toBe(before[i]!.current);
      expect(tree.releases).toEqual(before[i]!.releases);
      expect(tree.log.at(-1)?.status).toBe("failed");
    }
  });
});
