import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { deployYml, projectDir, runFap, startFap, waitFor } from "../harness.js";
import { hookGate } from "../hook-gate.js";
import { expectSameTrees, useThreeHosts } from "../three-hosts.js";

const env = useThreeHosts();
const { project, trees } = env;
const lockGone = (app: string) => env.hosts.hosts.every((h) => !existsSync(h.local(`/srv/www/${app}/.fap/lock`)));

describe("the deploy lock", () => {
  it("lets exactly one of two simultaneous deploys through; the other changes nothing", async () => {
    // Long enough that the second fap, however late a loaded machine starts it, finds the lock taken.
    const dir = await project("race", "  updated: sleep 3");
    const [a, b] = await Promise.all([
      runFap(env.hosts, dir, ["run", "deploy", "-s", "production"]),
      runFap(env.hosts, dir, ["run", "deploy", "-s", "production"]),
    ]);
    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([0, 1]);
    const refused = a.code === 0 ? b : a;
    expect(refused.stderr).toMatch(/locked by \S+@\S+ \(deploy \w+, pid \d+\) since /);
    const states = await trees("race");
    for (const tree of states) {
      expect(tree.releases).toHaveLength(1);
      expect(tree.current).toBe(`releases/${tree.releases[0]}`);
    }
    expect(new Set(states.map((t) => t.current)).size).toBe(1);
    expect(lockGone("race")).toBe(true);
  });

  it("frees the locks it took, and what they made, when one host cannot be reached", async () => {
    const p = await projectDir({ "deploy.yml": deployYml("unreached", 'host1, host2, "127.0.0.1:9"') });
    try {
      const run = await runFap(env.hosts, p.dir, ["run", "deploy", "-s", "production"]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^error: 127\.0\.0\.1:9: /m);
      // host1 and host2 were locked while 127.0.0.1:9 was refusing: both locks are gone, with
      // the directories they needed, as if the run had never started.
      for (const host of env.hosts.hosts.slice(0, 2)) expect(existsSync(host.local("/srv/www/unreached"))).toBe(false);
    } finally {
      await p.cleanup();
    }
  });

  it("reports a stale lock and fap unlock --force frees it", async () => {
    const dir = await project("stale", "");
    const info = { deploy: "deadbeef", flow: "deploy", user: "ghost", machine: "gone", pid: 1, time: "2020-01-01T00:00:00.000Z", expires: "2020-01-01T01:00:00.000Z" };
    const lock = env.hosts.hosts[1]!.local("/srv/www/stale/.fap/lock");
    mkdirSync(lock, { recursive: true });
    writeFileSync(`${lock}/info`, `${JSON.stringify(info)}\n`);

    const refused = await runFap(env.hosts, dir, ["run", "deploy", "-s", "production"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/host2: locked by ghost@gone .* stale since 2020-01-01T01:00:00.000Z/);
    expect(refused.stderr).toMatch(/fap unlock -s STAGE --force/);
    expect((await trees("stale")).every((t) => t.releases.length === 0)).toBe(true);
    expect(existsSync(lock)).toBe(true);

    const status = await runFap(env.hosts, dir, ["status", "-s", "production"]);
    expect(status.stdout).toMatch(/host2 .*locked by ghost@gone/);
    expect((await runFap(env.hosts, dir, ["unlock", "-s", "production"])).code).toBe(2);
    expect(existsSync(lock)).toBe(true);
    const unlocked = await runFap(env.hosts, dir, ["unlock", "-s", "production", "--force"]);
    expect(unlocked.code, unlocked.stderr).toBe(0);
    expect(unlocked.stdout).toMatch(/freed the lock on host2/);
    expect((await runFap(env.hosts, dir, ["run", "deploy", "-s", "production"])).code).toBe(0);
  });
});

describe("failures leave every host on a whole release", () => {
  it("switches every host back when publishing fails on one", async () => {
    const { before, run: result } = await env.redeployFailing("publish", "published", "host3");
    expect(result.stderr).toMatch(/every host was switched back/);
    expectSameTrees(await trees("publish"), before);
    expect(lockGone("publish")).toBe(true);
  });

  const sigintGate = hookGate();
  it("on Ctrl-C stops, removes the partial release, frees the lock and exits 130", async () => {
    expect((await runFap(env.hosts, await project("sigint"), ["run", "deploy", "-s", "production"])).code).toBe(0);
    const before = await trees("sigint");
    const dir = await project("sigint", `  updated: ${sigintGate.wait}`);
    const run = startFap(env.hosts, dir, ["run", "deploy", "-s", "production"]);
    await waitFor(run.stdout, /▸ updated/);
    run.child.kill("SIGINT");
    await waitFor(run.stderr, /SIGINT: finishing running commands/);
    sigintGate.open();
    const result = await run.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/SIGINT: finishing running commands and cleaning up/);
    expect(result.stderr).toMatch(/^error: interrupted by SIGINT/m);
    expectSameTrees(await trees("sigint"), before);
    expect(lockGone("sigint")).toBe(true);
  });

  it("kills a command that runs past command_timeout and fails before publishing", async () => {
    const dir = await project("timeout", "  updated: sleep 37", "command_timeout: 1");
    const started = Date.now();
    const result = await runFap(env.hosts, dir, ["run", "deploy", "-s", "production"]);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/timed out|timeout/i);
    for (const tree of await trees("timeout")) {
      expect(tree.current).toBeUndefined();
      expect(tree.releases).toEqual([]);
    }
    // The remote command is gone, not left running on the host.
    const sleeping = await env.hosts.hosts[0]!.exec("ps -eo args | grep -cx 'sleep 37' || true");
    expect(sleeping.stdout.trim()).toBe("0");
    expect(lockGone("timeout")).toBe(true);
  });

  const lostGate = hookGate();
  it("names the host whose connection was lost; the other hosts are left clean", async () => {
    const before = await env.deployedOnce("lost");
    // host2 is killed while its hook runs: once the hook said so, and before it can end.
    const slow = await project("lost", `  updated: touch /srv/www/lost/hook-runs; ${lostGate.wait}`);
    const run = startFap(env.hosts, slow, ["run", "deploy", "-s", "production"]);
    await waitFor(() => (existsSync(env.hosts.hosts[1]!.local("/srv/www/lost/hook-runs")) ? "runs" : ""), /runs/);
    env.hosts.hosts[1]!.kill();
    lostGate.open();
    const result = await run.done;
    await env.hosts.hosts[1]!.start();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/host2 \(updated\): .*connection lost/);
    for (const i of [0, 2]) {
      const tree = (await trees("lost"))[i]!;
      expect(tree.current).toBe(before[i]!.current);
      expect(tree.releases).toEqual(before[i]!.releases);
    }
    expect([0, 2].every((i) => !existsSync(env.hosts.hosts[i]!.local("/srv/www/lost/.fap/lock")))).toBe(true);
  });
});
