import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runFap } from "../harness.js";
import { useThreeHosts } from "../three-hosts.js";

const env = useThreeHosts();
const { project, trees } = env;

describe("fap rollback", () => {
  it("goes back to the older of two releases and removes the newer, never the live one", async () => {
    const dir = await project("two");
    expect((await runFap(env.hosts, dir, ["run", "deploy", "-s", "production"])).code).toBe(0);
    expect((await runFap(env.hosts, dir, ["run", "deploy", "-s", "production"])).code).toBe(0);
    const [deployed] = await trees("two");
    const [older, newer] = deployed!.releases;

    const result = await runFap(env.hosts, dir, ["rollback", "-s", "production"]);
    expect(result.code, result.stderr).toBe(0);
    for (const tree of await trees("two")) {
      expect(tree.current).toBe(`releases/${older}`);
      expect(tree.releases).toEqual([older]);
      expect(readFileSync(tree.local("current/VERSION"), "utf8").trim()).toBe(older);
      expect(tree.log.filter((e) => e.id === newer).at(-1)?.status).toBe("rolled-back");
    }
  });

  it("refuses with one release and changes nothing", async () => {
    const dir = await project("one");
    expect((await runFap(env.hosts, dir, ["run", "deploy", "-s", "production"])).code).toBe(0);
    const before = await trees("one");

    const result = await runFap(env.hosts, dir, ["run", "rollback", "-s", "production"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: rollback failed on 3 hosts: .*no earlier release to roll back to/);
    expect(result.stderr.trim().split("\n")).toHaveLength(2);
    expect(await trees("one")).toEqual(before.map((t) => ({ ...t, local: expect.any(Function) })));
  });

  it("skips a release that failed and rolls back per host", async () => {
    const dir = await project("skip");
    for (let n = 0; n < 2; n++) expect((await runFap(env.hosts, dir, ["run", "deploy", "-s", "production"])).code).toBe(0);
    // A third deploy that fails on host3 leaves host1..3 on the second release.
    const failing = await project("skip", "  updated: test %(host)s != host3");
    expect((await runFap(env.hosts, failing, ["run", "deploy", "-s", "production"])).code).toBe(1);
    const [first, second] = (await trees("skip"))[0]!.releases;

    expect((await runFap(env.hosts, dir, ["run", "rollback", "-s", "production"])).code).toBe(0);
    for (const tree of await trees("skip")) {
      expect(tree.current).toBe(`releases/${first}`);
      expect(existsSync(tree.local(`releases/${second}`))).toBe(false);
    }
  });
});

describe("fap restart and fap once", () => {
  it("runs restart hooks and a one-off command in current on every host", async () => {
    const dir = await project("ops", "  restarting: echo restarted-%(host)s > RESTARTED");
    expect((await runFap(env.hosts, dir, ["run", "deploy", "-s", "production"])).code).toBe(0);
    const restart = await runFap(env.hosts, dir, ["restart", "-s", "production"]);
    expect(restart.code, restart.stderr).toBe(0);
    for (const [i, tree] of (await trees("ops")).entries()) {
      expect(readFileSync(tree.local("current/RESTARTED"), "utf8").trim()).toBe(`restarted-host${i + 1}`);
    }
    const once = await runFap(env.hosts, dir, ["once", "-s", "production", "-c", "cat VERSION; hostname >/dev/null"]);
    expect(once.code, once.stderr).toBe(0);
    const release = (await trees("ops"))[0]!.releases[0]!;
    for (const alias of ["host1", "host2", "host3"]) expect(once.stdout).toContain(`${alias} | ${release}`);

    const failing = await runFap(env.hosts, dir, ["once", "-s", "production", "-c", "exit 3"]);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/the command failed on host1, host2, host3|the command failed on/);
  });
});
