import { describe, expect, it } from "vitest";
import { runFap } from "../harness.js";
import { expectSameTrees, useThreeHosts } from "../three-hosts.js";

const env = useThreeHosts();
const { project, trees } = env;

describe("rolling deploys", () => {
  it("--batch 1 publishes one host after another, once all are prepared", async () => {
    const dir = await project("rolling");
    const run = await runFap(env.hosts, dir, ["run", "deploy", "-s", "production", "--batch", "1", "--batch-wait", "0.2"]);
    expect(run.code, run.stderr).toBe(0);
    const banners = run.stdout.split("\n").filter((l) => l.startsWith("▸ "));
    expect(banners.filter((l) => l.startsWith("▸ publishing"))).toEqual(Array(3).fill("▸ publishing (1 host)"));
    expect(banners.indexOf("▸ publishing (1 host)")).toBeGreaterThan(banners.findIndex((l) => l.startsWith("▸ updated (3 env.hosts)")));
    for (const tree of await trees("rolling")) expect(tree.current).toBe(`releases/${tree.releases.at(-1)}`);
  });

  it("switches the earlier batches back when a later batch fails", async () => {
    const { before } = await env.redeployFailing("rollback-batches", "published", "host2", "--batch", "1");
    expectSameTrees(await trees("rollback-batches"), before);
  });

  it("--max-failed 1 deploys to the other hosts and still fails the run", async () => {
    const { before, dir: bad, run } = await env.redeployFailing("tolerant", "updated", "host3", "--max-failed", "1");
    expect(run.stderr).toMatch(/live on the other 2 host\(s\) \(within --max-failed\)/);
    const after = await trees("tolerant");
    for (const i of [0, 1]) {
      expect(after[i]!.current).not.toBe(before[i]!.current);
      expect(after[i]!.releases).toHaveLength(2);
    }
    expect(after[2]!.current).toBe(before[2]!.current);
    expect(after[2]!.releases).toEqual(before[2]!.releases);

    const strict = await runFap(env.hosts, bad, ["run", "deploy", "-s", "production"]);
    expect(strict.code).toBe(1);
    expect((await trees("tolerant")).map((t) => t.current)).toEqual(after.map((t) => t.current));
  });
});
