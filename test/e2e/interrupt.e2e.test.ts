import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runFap, startFap, waitFor } from "../harness.js";
import { hookGate } from "../hook-gate.js";
import { useThreeHosts } from "../three-hosts.js";

// After Ctrl-C, each message says what the hosts now hold, whatever phase it came in.
const env = useThreeHosts();
const { project, trees } = env;
const lockGone = (app: string) => env.hosts.hosts.every((h) => !existsSync(h.local(`/srv/www/${app}/.fap/lock`)));

/** Ctrl-C while `phase`'s hook waits at `gate`, which opens once fap has the signal. */
async function interrupt(dir: string, args: string[], phase: string, gate: ReturnType<typeof hookGate>) {
  const run = startFap(env.hosts, dir, args);
  await waitFor(run.stdout, new RegExp(`▸ ${phase}`));
  run.child.kill("SIGINT");
  await waitFor(run.stderr, /SIGINT: finishing running commands/);
  gate.open();
  return run.done;
}

const gates = { updated: hookGate(), published: hookGate(), rollback: hookGate(), finished: hookGate() };

describe("Ctrl-C", () => {
  it("during updated: names the hosts stopped before publishing; no host was switched", async () => {
    const dir = await project("c-updated", `  updated: ${gates.updated.wait}`);
    const result = await interrupt(dir, ["run", "deploy", "-s", "production"], "updated", gates.updated);
    expect(result.code).toBe(130);
    expect(result.stderr).not.toMatch(/failed on 0 hosts/);
    expect(result.stderr).toMatch(/^error: interrupted by SIGINT; deploy failed on 3 hosts: host1, host2, host3 \(publishing\): interrupted by SIGINT$/m);
    expect(result.stderr).toMatch(/^hint: no host was switched; the new release was removed from every host$/m);
    for (const tree of await trees("c-updated")) expect(tree.current).toBeUndefined();
    expect(lockGone("c-updated")).toBe(true);
  });

  it("during published: says the new release stays live, as it does", async () => {
    const dir = await project("c-published", `  published: ${gates.published.wait}`);
    const result = await interrupt(dir, ["run", "deploy", "-s", "production"], "published", gates.published);
    expect(result.code).toBe(130);
    expect(result.stderr).not.toMatch(/removed/);
    expect(result.stderr).toMatch(/^hint: the new release is live; only finishing steps failed$/m);
    const all = await trees("c-published");
    for (const tree of all) expect(tree.current).toBe(`releases/${tree.releases[0]}`);
    expect(lockGone("c-published")).toBe(true);
  });

  it("during a rollback's published: says the rollback is live and does not advise running it again", async () => {
    const good = await project("c-rollback");
    for (let n = 0; n < 2; n++) expect((await runFap(env.hosts, good, ["run", "deploy", "-s", "production"])).code).toBe(0);
    const [first] = (await trees("c-rollback"))[0]!.releases;
    const slow = await project("c-rollback", `  published: ${gates.rollback.wait}`);
    const result = await interrupt(slow, ["rollback", "-s", "production"], "published", gates.rollback);
    expect(result.code).toBe(130);
    expect(result.stderr).not.toMatch(/run fap again/);
    expect(result.stderr).toMatch(/^hint: the rollback is live; only finishing steps failed$/m);
    for (const tree of await trees("c-rollback")) expect(tree.current).toBe(`releases/${first}`);
    expect(lockGone("c-rollback")).toBe(true);
  });

  it("during finished: exits 130 saying the deploy had finished on every host", async () => {
    const dir = await project("c-finished", `  finished: ${gates.finished.wait}`);
    const result = await interrupt(dir, ["run", "deploy", "-s", "production"], "finished", gates.finished);
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/^error: interrupted by SIGINT after the deploy had finished on every host: the new release is live on every host/m);
    for (const tree of await trees("c-finished")) {
      expect(tree.current).toBe(`releases/${tree.releases[0]}`);
      expect(tree.log.at(-1)?.status).toBe("ok");
    }
    expect(lockGone("c-finished")).toBe(true);
  });
});
