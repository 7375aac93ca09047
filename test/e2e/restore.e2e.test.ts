import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runFap, startFap, waitFor } from "../harness.js";
import { useThreeHosts } from "../three-hosts.js";

// What fap reports after a failure must be what each host holds: every undo is checked.
const env = useThreeHosts();
const { project, trees } = env;
const deploy = (dir: string, ...more: string[]) => runFap(env.hosts, dir, ["run", "deploy", "-s", "production", ...more]);
// host2 fails its `published` only once the test has cut host3 off (the file is outside the hosts' private /srv, so host2 sees it).
const cutOff = () => path.join(mkdtempSync(path.join(tmpdir(), "fap-restore-")), "host3-cut-off");
const failOnceCutOff = (flag: string) => `while ! test -e ${flag}; do sleep 0.1; done; exit 1`;
/** Runs `args` on `app` where host3 passes `published` and is then cut off, and host2 fails it a moment later; host3 is started again. */
async function runWithHost3CutOff(app: string, args: string[]) {
  const marker = env.hosts.hosts[2]!.local(`/srv/www/${app}/published-on-host3`);
  const flag = cutOff();
  const bad = await project(app, `  published: 'case %(host)s in host2) ${failOnceCutOff(flag)};; host3) touch /srv/www/${app}/published-on-host3;; esac'`);
  const run = startFap(env.hosts, bad, args);
  await waitFor(() => (existsSync(marker) ? "yes" : ""), /yes/);
  env.hosts.hosts[2]!.kill();
  writeFileSync(flag, "");
  const result = await run.done;
  await env.hosts.hosts[2]!.start();
  return result;
}
/** Frees the lock, deploys `dir` and rolls back: every host must end on `release`, whatever the failed run left. */
async function unlockDeployRollBack(app: string, dir: string, release: string | undefined): Promise<void> {
  expect((await runFap(env.hosts, dir, ["unlock", "-s", "production", "--force"])).code).toBe(0);
  expect((await deploy(dir)).code).toBe(0);
  const rolled = await runFap(env.hosts, dir, ["rollback", "-s", "production"]);
  expect(rolled.code, rolled.stderr).toBe(0);
  expect((await trees(app)).map((t) => t.current)).toEqual(Array(3).fill(`releases/${release}`));
}

const lastStatus = (log: Array<{ id: string; status: string }>, id: string | undefined) => log.filter((e) => e.id === id).at(-1)?.status;

describe("switching back after a failure", () => {
  it("names a host it could not switch back, what it runs, and its lock; never marks that release ok", async () => {
    const good = await project("unreach");
    expect((await deploy(good)).code).toBe(0);
    const [first] = (await trees("unreach"))[0]!.releases;
    const result = await runWithHost3CutOff("unreach", ["run", "deploy", "-s", "production"]);

    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/every host was switched back/);
    expect(result.stderr).toMatch(/^hint: .*host1, host2: switched back to their previous release; host3: NOT switched back: unreachable — it runs \d+-\d+(?:-\d+)?, marked live/m);
    expect(result.stderr).toMatch(/fap unlock -s production/);
    expect(result.stdout).toMatch(/host3 .*NOT switched back: unreachable/);
    const [t1, t2, t3] = await trees("unreach");
    const second = t3!.releases[1];
    expect([t1!.current, t2!.current, t3!.current]).toEqual([`releases/${first}`, `releases/${first}`, `releases/${second}`]);
    expect(lastStatus(t3!.log, second)).toBe("live");
    expect(existsSync(env.hosts.hosts[2]!.local("/srv/www/unreach/.fap/lock"))).toBe(true);
    const status = await runFap(env.hosts, good, ["status", "-s", "production"]);
    expect(status.stdout).toMatch(new RegExp(`^host3 .* ${second} \\(live\\)`, "m"));

    // After unlocking and a good deploy, a rollback goes back to the release every host had.
    await unlockDeployRollBack("unreach", good, first);
  });

  it("reports a switch back that failed on the host instead of saying it happened", async () => {
    const good = await project("outside");
    expect((await deploy(good)).code).toBe(0);
    // host1's current points outside releases/: there is no releases/<its id> to switch back to.
    const host1 = env.hosts.hosts[0]!;
    mkdirSync(host1.local("/srv/www/outside/elsewhere/kept"), { recursive: true });
    rmSync(host1.local("/srv/www/outside/current"));
    symlinkSync("elsewhere/kept", host1.local("/srv/www/outside/current"));
    const bad = await project("outside", "  published: test %(host)s != host2");
    const result = await deploy(bad);

    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/every host was switched back/);
    expect(result.stderr).toMatch(/host1: NOT switched back: the undo command failed on the host \(exit 1\) — it runs \d/);
    const [t1, t2] = await trees("outside");
    const second = t1!.releases.at(-1);
    expect(t1!.current).toBe(`releases/${second}`);
    expect(lastStatus(t1!.log, second)).toBe("live");
    expect(t2!.current).toBe(`releases/${t2!.releases[0]}`);
  });
});

describe("switching back a failed rollback", () => {
  it("names a host it could not put back on the release it left, and what that host runs", async () => {
    const good = await project("rb-unreach");
    for (let n = 0; n < 2; n++) expect((await deploy(good)).code).toBe(0);
    const [first, second] = (await trees("rb-unreach"))[0]!.releases;
    const result = await runWithHost3CutOff("rb-unreach", ["rollback", "-s", "production"]);

    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/every host was switched back/);
    expect(result.stderr).toContain(`host3: NOT switched back: unreachable — it runs ${first}, and ${second} is marked rolled-back; lock left`);
    expect((await trees("rb-unreach")).map((t) => t.current)).toEqual([`releases/${second}`, `releases/${second}`, `releases/${first}`]);
  });
});

describe("rollback after hosts diverged", () => {
  it("after a deploy killed mid-publish, a later rollback sends every host to the same release", async () => {
    const good = await project("killed");
    expect((await deploy(good)).code).toBe(0);
    const [first] = (await trees("killed"))[0]!.releases;
    // Batches of two: host1 and host2 switch, then fap is killed before host3's batch.
    const slow = await project("killed", "  published: sleep 5");
    const run = startFap(env.hosts, slow, ["run", "deploy", "-s", "production", "--batch", "2"]);
    await waitFor(run.stdout, /▸ published/);
    run.child.kill("SIGKILL");
    await run.done;
    await unlockDeployRollBack("killed", good, first);
  });

  it("refuses when the hosts would go to different releases, naming each; --align picks one every host holds", async () => {
    const dir = await project("diverged");
    expect((await deploy(dir)).code).toBe(0);
    expect((await deploy(dir, "--hosts", "host1,host2")).code).toBe(0);
    expect((await deploy(dir)).code).toBe(0);
    const [r1, r2, r3] = (await trees("diverged"))[0]!.releases;
    const before = await trees("diverged");

    const refused = await runFap(env.hosts, dir, ["rollback", "-s", "production"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`host1: ${r3} → ${r2}, host2: ${r3} → ${r2}, host3: ${r3} → ${r1}`);
    expect(refused.stderr).toMatch(/--align/);
    expect(await trees("diverged")).toEqual(before.map((t) => ({ ...t, local: expect.any(Function) })));

    const aligned = await runFap(env.hosts, dir, ["rollback", "-s", "production", "--align"]);
    expect(aligned.code, aligned.stderr).toBe(0);
    expect((await trees("diverged")).map((t) => t.current)).toEqual(Array(3).fill(`releases/${r1}`));
  });
});
