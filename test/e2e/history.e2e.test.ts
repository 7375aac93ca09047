import { describe, expect, it } from "vitest";
import { runFap } from "../harness.js";
import { useThreeHosts } from "../three-hosts.js";

const env = useThreeHosts();

interface Run {
  deploy: string;
  kind: string;
  user: string;
  ok: boolean;
  durationMs: number;
  hosts: Array<{ host: string; result: string; release: string; rolledBackBy?: { deploy: string; user: string } }>;
}

const deployIdOf = (stdout: string) => (JSON.parse(stdout.split("\n")[0]!) as { deploy: string }).deploy;

describe("fap history", () => {
  it("lists deploy, deploy, rollback and a failed deploy newest first, with who and each host's result, from the hosts' release logs", async () => {
    const dir = await env.project("hist");
    const failing = await env.project("hist", "  updated: test %(host)s != host3");
    const ids: string[] = [];
    for (const [cwd, args, code] of [
      [dir, ["deploy"], 0],
      [dir, ["deploy"], 0],
      [dir, ["rollback"], 0],
      [failing, ["deploy"], 1],
    ] as const) {
      const run = await runFap(env.hosts, cwd, [...args, "-s", "production", "--json"]);
      expect(run.code, run.stderr).toBe(code);
      ids.push(deployIdOf(run.stdout));
    }

    const json = await runFap(env.hosts, dir, ["history", "-s", "production", "--json"]);
    expect(json.code, json.stderr).toBe(0);
    const runs = json.stdout.trim().split("\n").map((line) => JSON.parse(line) as Run);
    expect(runs.map((r) => [r.deploy, r.kind, r.ok])).toEqual([
      [ids[3], "deploy", false],
      [ids[2], "rollback", true],
      [ids[1], "deploy", true],
      [ids[0], "deploy", true],
    ]);
    const user = runs[0]!.user;
    expect(user).toMatch(/\S/);
    expect(runs[0]!.hosts.map((h) => [h.host, h.result])).toEqual([["host1", "failed"], ["host2", "failed"], ["host3", "failed"]]);
    expect(runs[1]!.hosts.map((h) => [h.host, h.result, h.release])).toEqual(["host1", "host2", "host3"].map((h) => [h, "rolled back", runs[2]!.hosts[0]!.release]));
    for (const h of runs[2]!.hosts) expect(h.rolledBackBy).toMatchObject({ deploy: ids[2], user });
    for (const h of runs[3]!.hosts) expect(h.rolledBackBy).toBeUndefined();
    expect(runs[3]!.durationMs).toBeGreaterThan(0);

    const limited = await runFap(env.hosts, dir, ["history", "-s", "production", "--json", "--limit", "2"]);
    expect(limited.stdout.trim().split("\n").map((l) => (JSON.parse(l) as Run).deploy)).toEqual([ids[3], ids[2]]);

    const people = await runFap(env.hosts, dir, ["history", "-s", "production"]);
    expect(people.code, people.stderr).toBe(0);
    expect(people.stdout).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ  rollback ${ids[2]}  by ${user} .* ok$`, "m"));
    expect(people.stdout).toMatch(new RegExp(`^  host1  production\\.web  \\d{6}-\\d{6}  ok, rolled back by ${user} at .* \\(${ids[2]}\\)$`, "m"));
  });

  it("refuses a --limit that is not a whole number, in one line", async () => {
    const dir = await env.project("histbad");
    const run = await runFap(env.hosts, dir, ["history", "-s", "production", "--limit", "ten"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("error: --limit must be a whole number above 0, not ten\nhint: fap history -s STAGE --limit 10\n");
  });
});
