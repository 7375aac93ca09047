import { FapError, sh, type FapPlugin } from "@fap/core";
import { describe, expect, it } from "vitest";
import { checkTestHostSupport, deployWith, readDeployState, type TestHosts } from "../src/index.js";
import { useTestHosts } from "./_use-test-hosts.js";

const unsupported = await checkTestHostSupport().then(() => "", (error: Error) => error.message);

/** Records, per host, what the host's lock held and where the other hosts' `current` pointed when it was published. */
function observer(testHosts: () => TestHosts, seen: Map<string, { lock: string; othersCurrent: Array<string | undefined> }>, failOn?: string): FapPlugin {
  const name = "test-observer";
  return {
    name,
    apply({ hooks }) {
      hooks.updated.tapPromise(name, async (ctx) => {
        if (ctx.host === failOn) throw new FapError("E_CONFIG", `${ctx.host} refuses`);
      });
      hooks.published.tapPromise(name, async (ctx) => {
        const lock = await ctx.run(sh`cat ${`${ctx.paths.meta}/lock/info`}`, { quiet: true });
        const others = testHosts().hosts.filter((h) => h.alias !== ctx.host);
        const othersCurrent = await Promise.all(others.map(async (h) => (await readDeployState(h, "/srv/www/app")).current));
        seen.set(ctx.host, { lock: lock.stdout, othersCurrent });
      });
    },
  };
}

describe.skipIf(unsupported)("deployWith takes fap's flags and gives fap's ids and output", () => {
  const testHosts = useTestHosts(2);

  it("gives the run one id, as fap does: in the result, the lock, the release log and every --json event", async () => {
    const seen = new Map<string, { lock: string; othersCurrent: Array<string | undefined> }>();
    const run = await deployWith(testHosts(), { plugins: [observer(testHosts, seen)], json: true });
    expect(run.deployId).toMatch(/^[0-9a-f]{8}$/);
    for (const host of testHosts().hosts) {
      const state = await readDeployState(host, "/srv/www/app");
      expect(state.log.at(-1)?.deploy).toBe(run.deployId);
      expect(JSON.parse(seen.get(host.alias)!.lock).deploy).toBe(run.deployId);
    }
    const events = run.stdout.trim().split("\n").map((line) => JSON.parse(line) as { type: string; deploy: string; state?: string; ok?: boolean });
    expect(events[0]).toMatchObject({ type: "run", state: "start" });
    expect(events.at(-1)).toMatchObject({ type: "run", state: "end", ok: true });
    expect(new Set(events.map((e) => e.deploy))).toEqual(new Set([run.deployId]));
  });

  it("publishes host by host under batch 1, and all at once without it", async () => {
    const together = new Map<string, { lock: string; othersCurrent: Array<string | undefined> }>();
    const all = await deployWith(testHosts(), { plugins: [observer(testHosts, together)] });
    // Without batches, host1 is published once every host points to the new release.
    expect(together.get("host1")!.othersCurrent).toEqual([all.hosts[1]!.release]);

    await new Promise((resolve) => setTimeout(resolve, 1100)); // release ids have a resolution of one second
    const batched = new Map<string, { lock: string; othersCurrent: Array<string | undefined> }>();
    const run = await deployWith(testHosts(), { plugins: [observer(testHosts, batched)], batch: 1 });
    expect(batched.get("host1")!.othersCurrent).toEqual([all.hosts[1]!.release]);
    expect(batched.get("host2")!.othersCurrent).toEqual([run.hosts[0]!.release]);
  });

  it("goes on with the other hosts under maxFailed, and still fails the run", async () => {
    const seen = new Map<string, { lock: string; othersCurrent: Array<string | undefined> }>();
    const before = await readDeployState(testHosts().hosts[0]!, "/srv/www/app");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const failed = await deployWith(testHosts(), { plugins: [observer(testHosts, seen, "host1")], maxFailed: 1 }).then(
      () => undefined,
      (error: Error & { stdout?: string }) => error,
    );
    expect(failed?.message).toMatch(/host1 refuses/);
    expect((await readDeployState(testHosts().hosts[0]!, "/srv/www/app")).current).toBe(before.current);
    const host2 = await readDeployState(testHosts().hosts[1]!, "/srv/www/app");
    expect(host2.current).not.toBe(before.current);
    expect(host2.log.at(-1)?.status).toBe("ok");
    expect(failed?.stdout).toMatch(/deploy: failed/);
  });

  it("works on the hosts given by hosts and excludeHosts only", async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const only = await deployWith(testHosts(), { hosts: ["host2"] });
    expect(only.hosts.map((h) => h.host)).toEqual(["host2"]);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const others = await deployWith(testHosts(), { excludeHosts: ["host2"] });
    expect(others.hosts.map((h) => h.host)).toEqual(["host1"]);
    expect((await readDeployState(testHosts().hosts[1]!, "/srv/www/app")).current).toBe(only.hosts[0]!.release);
  });

  it("refuses a bad flag with fap's own message", async () => {
    await expect(deployWith(testHosts(), { batch: "0" })).rejects.toMatchObject({ code: "E_USAGE", message: expect.stringMatching(/^--batch 0/) });
    await expect(deployWith(testHosts(), { maxFailed: 1.5 })).rejects.toMatchObject({ code: "E_USAGE", message: "--max-failed 1.5: expected a whole number" });
  });

  it("prints what fap prints: the header and summary, only the summary under quiet", async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const loud = await deployWith(testHosts(), {});
    expect(loud.stdout).toContain("fap deploy test");
    expect(loud.stdout).toContain(`deploy ${loud.deployId}: done`);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const quiet = await deployWith(testHosts(), { quiet: true });
    expect(quiet.stdout).not.toContain("fap deploy test");
    expect(quiet.stdout).toContain(`deploy ${quiet.deployId}: done`);
  });
});
