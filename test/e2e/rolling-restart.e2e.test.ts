import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hostTree, runFap, startFap, waitFor } from "../harness.js";
import { useThreeHosts } from "../three-hosts.js";

const env = useThreeHosts();
const { project } = env;
// Every test host sees the test's temp dir: the restart hooks of all three append here.
const shared = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-restart-order-")));
afterAll(() => rmSync(shared, { recursive: true, force: true }));

/** `host start|end seconds` lines of one log, in the order they were written. */
function events(file: string): Array<{ host: string; what: string; at: number }> {
  return readFileSync(file, "utf8").trim().split("\n").map((line) => {
    const [host, what, at] = line.split(" ");
    return { host: host!, what: what!, at: Number(at) };
  });
}

describe("rolling restarts", () => {
  it("--batch 1 restarts host by host, --batch-wait apart; without it all at once", async () => {
    const log = path.join(shared, "restart.log");
    const stamp = (what: string) => `echo "%(host)s ${what} $(date +%s.%N)" >> ${log}`;
    const dir = await project("restart-rolling", `  restarting: ${stamp("start")}; sleep 0.3; ${stamp("end")}`);
    expect((await runFap(env.hosts, dir, ["run", "deploy", "-s", "production"])).code).toBe(0);

    const rolling = await runFap(env.hosts, dir, ["restart", "-s", "production", "--batch", "1", "--batch-wait", "0.5"]);
    expect(rolling.code, rolling.stderr).toBe(0);
    const seen = events(log);
    expect(seen.map((e) => `${e.host} ${e.what}`)).toEqual(["host1 start", "host1 end", "host2 start", "host2 end", "host3 start", "host3 end"]);
    expect(seen[2]!.at - seen[1]!.at).toBeGreaterThanOrEqual(0.45);

    rmSync(log);
    // Each host ends only once all three started (10 s at most): a fixed sleep let host1 end
    // before host3 started whenever a loaded machine opened host3's channel that much later.
    // Hosts restarted one after the other would each wait the 10 s and end in turn.
    const allStarted = `i=0; while [ $(grep -c start ${log}) -lt 3 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done`;
    const waiting = await project("restart-rolling", `  restarting: ${stamp("start")}; ${allStarted}; ${stamp("end")}`);
    const together = await runFap(env.hosts, waiting, ["restart", "-s", "production"]);
    expect(together.code, together.stderr).toBe(0);
    expect(events(log).slice(0, 3).map((e) => e.what)).toEqual(["start", "start", "start"]);
  });

  it("stops at the batch that failed: later hosts are not restarted", async () => {
    const log = path.join(shared, "restart-fail.log");
    const dir = await project("restart-fail", `  restarting: echo "%(host)s" >> ${log}; test %(host)s != host2`);
    expect((await runFap(env.hosts, dir, ["run", "deploy", "-s", "production"])).code).toBe(0);
    const run = await runFap(env.hosts, dir, ["restart", "-s", "production", "--batch", "1"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/host2 \(restarting\)/);
    expect(readFileSync(log, "utf8")).toBe("host1\nhost2\n");
  });

  it("refuses --max-failed on restart, pointing at deploy", async () => {
    const dir = await project("restart-scope");
    const run = await runFap(env.hosts, dir, ["restart", "-s", "production", "--max-failed=1"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--max-failed applies to deploy only/);
  });
});

describe("--lock-wait", () => {
  it("a second deploy waits for the first one's lock, then deploys after it", async () => {
    // The first run holds its lock until the second says it waits for it (30 s at most): a fixed
    // sleep could end before a second fap, slow to start on a loaded machine, reached the lock.
    const flag = path.join(shared, "second-waits");
    const dir = await project("lock-wait", `  updated: i=0; while ! test -e ${flag} && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done`);
    const first = startFap(env.hosts, dir, ["run", "deploy", "-s", "production"]);
    await waitFor(first.stdout, /updated/);
    const waiting = startFap(env.hosts, dir, ["run", "deploy", "-s", "production", "--lock-wait", "60"]);
    await waitFor(waiting.stdout, /waiting up to 60 s/);
    writeFileSync(flag, "");
    const second = await waiting.done;
    const one = await first.done;
    expect(one.code, one.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.match(/locked by .*waiting up to 60 s for it \(--lock-wait\)/g)).toHaveLength(1);
    for (const i of [0, 1, 2]) {
      const tree = await hostTree(env.hosts, i, "/srv/www/lock-wait");
      expect(tree.releases).toHaveLength(2);
      const oks = tree.log.filter((e) => e.status === "ok").map((e) => e.id);
      expect(oks).toEqual(tree.releases);
      expect(tree.current).toBe(`releases/${tree.releases[1]}`);
    }
  });

  it("fails after the wait when the lock stays, and Ctrl-C ends the wait at once, leaving the other's lock alone", async () => {
    const dir = await project("lock-held");
    expect((await runFap(env.hosts, dir, ["run", "deploy", "-s", "production"])).code).toBe(0);
    const info = '{"deploy":"other123","flow":"deploy","user":"alice","machine":"laptop","pid":1,"time":"2030-01-01T00:00:00.000Z","expires":"2031-01-01T00:00:00.000Z"}';
    expect((await env.hosts.hosts[1]!.exec(`mkdir /srv/www/lock-held/.fap/lock && echo '${info}' > /srv/www/lock-held/.fap/lock/info`)).exitCode).toBe(0);

    const started = Date.now();
    const run = await runFap(env.hosts, dir, ["run", "deploy", "-s", "production", "--lock-wait", "2"]);
    expect(run.code).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(run.stderr).toMatch(/^error: host2: locked by alice@laptop \(deploy other123, pid 1\) since .*; still locked after waiting 2 s \(--lock-wait\)$/m);

    const waiting = startFap(env.hosts, dir, ["run", "deploy", "-s", "production", "--lock-wait", "600"]);
    await waitFor(waiting.stdout, /waiting up to 600 s/);
    const interrupted = Date.now();
    waiting.child.kill("SIGINT");
    const ended = await waiting.done;
    expect(ended.code).toBe(130);
    // Not the 600 s: a loaded machine may take seconds to free the locks fap took meanwhile.
    expect(Date.now() - interrupted).toBeLessThan(20_000);
    const status = await runFap(env.hosts, dir, ["status", "-s", "production"]);
    expect(status.stdout.match(/locked by/g)).toHaveLength(1);
    expect(status.stdout).toMatch(/alice@laptop/);
    const bad = await runFap(env.hosts, dir, ["run", "deploy", "-s", "production", "--lock-wait", "-1"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: --lock-wait -1: expected a number of seconds at least 0/m);
  });
});
