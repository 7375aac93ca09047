import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runFap } from "../harness.js";
import { useTestHosts } from "../three-hosts.js";

const testHosts = useTestHosts(2);
const { project } = testHosts;
const TOKEN = "t0ps3cret-value";

function yml(app: string, updated = "echo built %(release)s; echo token=$(grep API_TOKEN .env)") {
  return `app_name: ${app}
path: /srv/www/%(app_name)s
environment:
  API_TOKEN: env:OUT_TOKEN
hooks:
  updated: ${JSON.stringify(updated)}
stage_role_configs:
  production:
    web:
      hosts: [host1, host2]
`;
}

type Event = Record<string, unknown> & { type: string; time: string; deploy: string; flow: string };

/** docs/events.md's tables: the fields every line has, and those of each type. */
function documentedFields(): { common: Set<string>; byType: Map<string, Set<string>> } {
  const text = readFileSync(new URL("../../docs/events.md", import.meta.url), "utf8");
  const fields = (section: string) => new Set([...section.matchAll(/^\| `([a-zA-Z]+)` +\|/gm)].map((m) => m[1]!));
  const common = fields(/^## Every line\n([\s\S]*?)^## /m.exec(text)![1]!);
  const byType = new Map<string, Set<string>>();
  for (const m of text.matchAll(/^### `([a-z-]+)`\n([\s\S]*?)(?=^##)/gm)) byType.set(m[1]!, fields(m[2]!));
  return { common, byType };
}

/** Each event has only fields docs/events.md documents, for its type. */
function expectDocumented(events: Event[]): void {
  const { common, byType } = documentedFields();
  expect([...common]).toEqual(["type", "time", "deploy", "flow", "task"]);
  for (const event of events) {
    const own = byType.get(event.type);
    expect(own, `docs/events.md documents type ${event.type}`).toBeDefined();
    for (const key of Object.keys(event)) expect(common.has(key) || own!.has(key), `${event.type}.${key} is documented`).toBe(true);
  }
}

/** Every line of stdout must be one JSON object. */
function parseLines(stdout: string): Event[] {
  expect(stdout.endsWith("\n")).toBe(true);
  return stdout
    .slice(0, -1)
    .split("\n")
    .map((line) => {
      const event = JSON.parse(line) as Event;
      expect(event).toMatchObject({ type: expect.any(String), time: expect.any(String), deploy: expect.stringMatching(/^[0-9a-f]{8}$/), flow: "deploy" });
      expect(new Date(event.time).toISOString()).toBe(event.time);
      return event;
    });
}

const DEPLOY_PHASES = ["building", "built", "starting", "started", "updating", "updated", "publishing", "published", "checking", "finishing", "finished"];

describe("--json", () => {
  it("writes one JSON event per line and nothing else, with the deploy id, phases in order, commands, exit codes, durations", async () => {
    const dir = await project({ "deploy.yml": yml("jsonout") });
    const run = await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production", "--json"], { OUT_TOKEN: TOKEN });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).not.toContain(TOKEN);
    const events = parseLines(run.stdout);
    expect(new Set(events.map((e) => e.deploy)).size).toBe(1);
    expect(events[0]).toMatchObject({ type: "run", state: "start", stage: "production", role: null, dryRun: false });
    expect(events.at(-1)).toMatchObject({ type: "run", state: "end", ok: true, durationMs: expect.any(Number) });

    const phases = events.filter((e) => e.type === "phase" && e.state === "start").map((e) => e.phase);
    expect(phases).toEqual(DEPLOY_PHASES);
    const commands = events.filter((e) => e.type === "command");
    expect(commands.length).toBeGreaterThan(0);
    for (const c of commands) expect(c).toMatchObject({ host: expect.stringMatching(/^host[12]$/), command: expect.any(String), plugin: expect.any(String) });
    // Only the lock's release after the last phase runs outside a phase.
    expect(commands.filter((c) => c.phase === undefined).map((c) => [c.plugin, /rm -rf \S+\/\.fap\/lock/.test(String(c.command))])).toEqual([
      ["fap:core", true],
      ["fap:core", true],
    ]);
    const hook = commands.find((c) => c.phase === "updated" && c.plugin === "fap:hooks" && c.host === "host1")!;
    expect(hook.command).toContain("echo built");
    const end = events.find((e) => e.type === "command-end" && e.command === hook.command && e.host === "host1")!;
    expect(end).toMatchObject({ exitCode: 0, durationMs: expect.any(Number), phase: "updated", plugin: "fap:hooks" });
    expect(events).toContainEqual(expect.objectContaining({ type: "output", host: "host1", stream: "stdout", line: "token=API_TOKEN=***", phase: "updated" }));
    const hostPhases = events.filter((e) => e.type === "host-phase" && e.state === "end");
    expect(hostPhases).toHaveLength(2 * 9);
    expect(hostPhases[0]).toMatchObject({ host: expect.any(String), role: "web", ok: true, durationMs: expect.any(Number) });
    expectDocumented(events);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(["run", "phase", "host-phase", "command", "output", "command-end", "host-result", "summary"]));
    const results = events.filter((e) => e.type === "host-result");
    expect(results.map((r) => [r.host, r.ok])).toEqual([["host1", true], ["host2", true]]);
    // One summary, just before the last line, saying what the host-result lines say.
    expect(events.filter((e) => e.type === "summary")).toHaveLength(1);
    const summary = events.at(-2)!;
    expect(summary).toMatchObject({ type: "summary", ok: true, deployer: expect.any(String), machine: expect.any(String) });
    const targets = summary.targets as Array<Record<string, unknown>>;
    expect(targets.map((t) => [t.host, t.release, t.state, t.result, t.note])).toEqual(results.map((r) => [r.host, r.release, "done", "switched", "ok"]));
    expect(targets.every((t) => t.config === undefined && Number(t.durationMs) >= 0)).toBe(true);
    expect(results[0]!.release).toMatch(/^\d{6}-\d{6}(-\d+)?$/);
  });

  it("ends with the error (code, message, per-host failures) when the deploy fails", async () => {
    const dir = await project({ "deploy.yml": yml("jsonfail", "test %(host)s != host2") });
    const run = await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production", "--json"], { OUT_TOKEN: TOKEN });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: deploy failed on 1 host: host2 \(updated\)/);
    const events = parseLines(run.stdout);
    expect(events).toContainEqual(expect.objectContaining({ type: "command-end", host: "host2", exitCode: 1, phase: "updated" }));
    expect(events).toContainEqual(expect.objectContaining({ type: "host-result", host: "host2", ok: false, phase: "updated", error: expect.any(String) }));
    expectDocumented(events);
    expect(events.at(-1)).toMatchObject({
      type: "run",
      state: "end",
      ok: false,
      error: { code: "E_COMMAND_FAILED", message: expect.stringMatching(/^deploy failed on 1 host/), failures: [expect.objectContaining({ host: "host2", phase: "updated" })] },
    });
  });

  it("--dry-run --json lists each host's commands in phase order and creates nothing", async () => {
    const dir = await project({ "deploy.yml": yml("jsondry") });
    const run = await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production", "--dry-run", "--json"], { OUT_TOKEN: TOKEN });
    expect(run.code, run.stderr).toBe(0);
    const events = parseLines(run.stdout);
    expect(events[0]).toMatchObject({ dryRun: true });
    const order = (phase: unknown) => DEPLOY_PHASES.indexOf(String(phase));
    const commandPhases = events.filter((e) => e.type === "command" && e.phase !== undefined).map((e) => order(e.phase));
    expect(commandPhases).toEqual([...commandPhases].sort((a, b) => a - b));
    expect(events.filter((e) => e.type === "command" && e.phase === "publishing")).toHaveLength(2);
    for (const host of testHosts.hosts.hosts) expect(existsSync(host.local("/srv/www/jsondry"))).toBe(false);
  });
});

describe("people's output", () => {
  it("-q prints only the summary: host, release, result, and each host's seconds per phase", async () => {
    const dir = await project({ "deploy.yml": yml("quiet") });
    const run = await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production", "-q"], { OUT_TOKEN: TOKEN });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^deploy [0-9a-f]{8}: done$/);
    // Phases in which a command ran: the release directory, made in `starting`, went out last in `updated`.
    expect(lines[1]).toMatch(/^host +release +result +updated +publishing +total$/);
    expect(lines[2]).toMatch(/^host1 +\d{6}-\d{6}(-\d+)? +ok +\d+\.\d\ds +\d+\.\d\ds +\d+\.\d\ds$/);
    expect(lines[3]).toMatch(/^host2 /);
    expect(lines[4]).toMatch(/^building \d+\.\d\ds · built .* · finished \d+\.\d\ds$/);
    expect(lines).toHaveLength(5);

    const failing = await project({ "deploy.yml": yml("quietfail", "echo noisy; exit 3") });
    const failed = await runFap(testHosts.hosts, failing, ["run", "deploy", "-s", "production", "-q"], { OUT_TOKEN: TOKEN });
    expect(failed.code).toBe(1);
    expect(failed.stdout).not.toMatch(/noisy|▸/);
    expect(failed.stdout).toMatch(/^host1 +\S+ +failed in updated/m);
    expect(failed.stderr).toMatch(/^error: deploy failed on 2 hosts/);
  });

  it("--log appends the full log without colours; GitHub Actions gets a group per phase", async () => {
    const dir = await project({ "deploy.yml": yml("logged") });
    const log = path.join(dir, "logs", "deploy.log");
    const env = { OUT_TOKEN: TOKEN, GITHUB_ACTIONS: "true", FORCE_COLOR: "1" };
    const first = await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production", "--log", log], env);
    expect(first.code, first.stderr).toBe(0);
    const second = await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production", "-q", "--log", log], env);
    expect(second.code, second.stderr).toBe(0);

    expect(first.stdout).toMatch(/^::group::starting \(2 hosts\)\n▸ starting \(2 hosts\)\n[\s\S]*?^::endgroup::$/m);
    expect(first.stdout.match(/^::group::/gm)).toHaveLength(11);
    expect(second.stdout).not.toMatch(/::group::/);

    const text = readFileSync(log, "utf8");
    expect(text).not.toMatch(/\x1b\[/);
    expect(text).not.toContain(TOKEN);
    const runs = text.split(/^=== /m).filter(Boolean);
    expect(runs).toHaveLength(2);
    for (const r of runs) {
      expect(r).toMatch(/^\d{4}-\d\d-\d\dT\S+ fap run deploy -s production .*\(deploy [0-9a-f]{8}\)\n/);
      // The log is verbose whatever stdout is: commands and their output are in it.
      expect(r).toMatch(/^host1 \| \$ cd \/srv\/www\/logged\/releases\/\S+ && echo built/m);
      expect(r).toMatch(/^host2 \| built \d{6}-\d{6}(-\d+)?$/m);
      expect(r).toMatch(/^deploy [0-9a-f]{8}: done$/m);
    }
  });
});
