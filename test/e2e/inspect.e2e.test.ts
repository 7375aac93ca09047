import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectDir, runFap, startTestHosts, type TestHosts } from "../harness.js";

let hosts: TestHosts;
let strangers: TestHosts;
const cleanups: Array<() => Promise<void>> = [];
const SECRET = "hunter2-very-secret";
const API_KEY = "plain-api-key-in-config";

beforeAll(async () => {
  [hosts, strangers] = await Promise.all([startTestHosts({ count: 2 }), startTestHosts({ count: 1, knownHosts: false, prefix: "stranger" })]);
});
afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
  await Promise.all([hosts?.stop(), strangers?.stop()]);
});

async function project(files: Record<string, string>) {
  const p = await projectDir(files, { installed: true });
  cleanups.push(p.cleanup);
  return p.dir;
}

/** A plugin that declares a secret key and needs a program that only host1 has. */
const PLUGIN = `export default () => ({
  name: "test:needs",
  config: {
    api_key: { type: "string", secret: true, description: "key for the API" },
    api_url: { type: "string", default: "https://api.invalid/%(stage)s?key=%(api_key)s", description: "where the API is" },
  },
  requires: ["sh", "/srv/bin/fap-helper"],
  apply() {},
});
`;

const YML = `app_name: inspect
path: /srv/www/%(app_name)s
plugins: [./needs.mjs]
keep_releases: 4
api_key: ${API_KEY}
keep_releaes: 2
environment:
  DB_PASSWORD: env:INSPECT_DB_PASSWORD
stage_role_configs:
  production:
    keep_releases: 3
    web:
      hosts: [host1, host2]
      linked_files: [.env.local]
`;

describe("fap config", () => {
  it("shows each host's resolved config with where each value came from, secrets as ***", async () => {
    const dir = await project({ "deploy.yml": YML, "needs.mjs": PLUGIN });
    // The secret need not be set to look at the config; when it is, it is still never shown.
    for (const env of [{}, { INSPECT_DB_PASSWORD: SECRET }] as Array<Record<string, string>>) {
      const run = await runFap(hosts, dir, ["config", "-s", "production", "-r", "web", "--host", "host2", "--parallel=3", "--set", "linked_dirs=log"], env);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout + run.stderr).not.toContain(SECRET);
      expect(run.stdout).not.toContain(API_KEY);
      const lines = run.stdout.split("\n");
      expect(lines[0]).toMatch(/^host2 \(production\.web, primary, root@127\.0\.0\.1:\d+\)$/); // the only host selected: primary for the run
      expect(run.stdout).not.toMatch(/^host1/m);
      const row = (key: string) => lines.find((l) => l.startsWith(`  ${key} `))?.trim().split(/\s{2,}/);
      expect(row("app_name")).toEqual(["app_name", "inspect", "top level"]);
      expect(row("path")).toEqual(["path", "/srv/www/inspect", "top level"]);
      expect(row("keep_releases")).toEqual(["keep_releases", "3", "stage production"]);
      expect(row("linked_files")).toEqual(["linked_files", '[".env.local"]', "role production.web"]);
      expect(row("linked_dirs")).toEqual(["linked_dirs", '["log"]', "command line"]);
      expect(row("release_id_format")).toEqual(["release_id_format", "%y%m%d-%H%M%S", "default"]);
      expect(row("user")).toEqual(["user", "root", "~/.ssh/config or local user"]);
      expect(row("api_key")).toEqual(["api_key", "***", "top level"]);
      expect(row("api_url")).toEqual(["api_url", "https://api.invalid/production?key=***", "plugin test:needs"]);
      expect(row("environment")).toEqual(["environment", '{"DB_PASSWORD":"***"}', "top level (env:INSPECT_DB_PASSWORD)"]);
      expect(row("host")).toEqual(["host", "host2", "runtime"]);
      expect(row("keep_releaes")).toEqual(["keep_releaes", "2", "top level", "← not read by core or any plugin (a typo?)"]);
    }
    const json = await runFap(hosts, dir, ["config", "-s", "production", "--json"]);
    expect(json.code, json.stderr).toBe(0);
    const views = json.stdout.trim().split("\n").map((l) => JSON.parse(l) as { host: string; primary: boolean; labels: object; config: Record<string, { value: unknown; source: string }> });
    expect(views.map((v) => v.host)).toEqual(["host1", "host2"]);
    expect(views.map((v) => [v.primary, v.labels])).toEqual([[true, {}], [false, {}]]);
    expect(views[0]!.config.keep_releases).toEqual({ value: 3, source: "stage production" });
    expect(views[0]!.config.environment).toEqual({ value: { DB_PASSWORD: "***" }, source: "top level (env:INSPECT_DB_PASSWORD)" });
  });
});

describe("fap doctor", () => {
  it("passes a good host, and names what is wrong on another with a fix", async () => {
    const dir = await project({ "deploy.yml": YML.replace("/srv/www/", "/srv/doctor/"), "needs.mjs": PLUGIN });
    mkdirSync(hosts.hosts[0]!.local("/srv/bin"), { recursive: true });
    writeFileSync(hosts.hosts[0]!.local("/srv/bin/fap-helper"), "#!/bin/sh\n");
    chmodSync(hosts.hosts[0]!.local("/srv/bin/fap-helper"), 0o755);
    // On host2 the deploy path cannot be created: /srv/doctor is a file.
    writeFileSync(hosts.hosts[1]!.local("/srv/doctor"), "not a directory\n");

    const run = await runFap(hosts, dir, ["doctor", "-s", "production"]);
    expect(run.code).toBe(1);
    const [good, bad] = run.stdout.split("\n\n");
    expect(good).toMatch(/^host1 \(production\.web\)\n/);
    expect(good!.split("\n").slice(1).map((l) => /^ {2}(. .+?) {2}/.exec(l)?.[1]?.trimEnd())).toEqual([
      "✓ connect",
      "✓ host key",
      "✓ deploy path",
      "✓ disk",
      "✓ lock",
      "✓ sh",
      "✓ /srv/bin/fap-helper",
    ]);
    expect(good).toMatch(/✓ connect +connects as root@127\.0\.0\.1:\d+ with key \S+id_ed25519$/m);
    expect(good).toMatch(/✓ deploy path +\/srv\/doctor\/inspect will be created in \/srv \(writable by root\)$/m);
    expect(good).toMatch(/✓ disk +\d+(\.\d)? [GM]iB free on \/srv$/m);
    expect(bad).toMatch(/^host2 \(production\.web\)\n/);
    expect(bad).toMatch(/✗ deploy path +\/srv\/doctor\/inspect cannot be created: \/srv\/doctor is not a directory\n +fix: /);
    expect(bad).toMatch(/✗ \/srv\/bin\/fap-helper +\/srv\/bin\/fap-helper not found \(needed by test:needs\)\n +fix: install it on the host/);
    expect(bad).toMatch(/✓ lock +not locked/);
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe("1 of 2 hosts need attention: host2");
  });

  it("reports a host whose key is unknown, and a held lock", async () => {
    const stranger = await project({
      "deploy.yml": "app_name: strange\npath: /srv/www/strange\nstage_role_configs:\n  production:\n    web:\n      hosts: [stranger1]\n",
    });
    const unknown = await runFap(strangers, stranger, ["doctor", "-s", "production"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toMatch(/✗ host key +stranger1: .*not known/);
    expect(unknown.stdout).toMatch(/fix: .*--accept-new-host-keys/);

    const dir = await project({ "deploy.yml": "app_name: locked\npath: /srv/www/locked\nstage_role_configs:\n  production:\n    web:\n      hosts: [host1]\n" });
    mkdirSync(hosts.hosts[0]!.local("/srv/www/locked/.fap/lock"), { recursive: true });
    writeFileSync(
      hosts.hosts[0]!.local("/srv/www/locked/.fap/lock/info"),
      `${JSON.stringify({ deploy: "abcd1234", flow: "deploy", user: "ann", machine: "laptop", pid: 1, time: "2020-01-01T00:00:00.000Z", expires: "2020-01-01T01:00:00.000Z" })}\n`,
    );
    const locked = await runFap(hosts, dir, ["doctor", "-s", "production", "--json"]);
    expect(locked.code).toBe(1);
    const [report] = locked.stdout.trim().split("\n").map((l) => JSON.parse(l) as { host: string; checks: Array<{ name: string; ok: boolean; message: string; hint?: string }> });
    expect(report!.checks.find((c) => c.name === "lock")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^locked by ann@laptop \(deploy abcd1234, pid 1\) since 2020-01-01T00:00:00\.000Z, stale since/),
      hint: expect.stringMatching(/fap unlock/),
    });
  });
});

describe("fap releases and host filters", () => {
  it("lists releases with the current one marked, and --hosts / --exclude-hosts narrow a run", async () => {
    const dir = await project({
      "deploy.yml": "app_name: rel\npath: /srv/www/rel\nstage_role_configs:\n  production:\n    web:\n      hosts: [host1, host2]\n",
    });
    expect((await runFap(hosts, dir, ["run", "deploy", "-s", "production"])).code).toBe(0);
    const only = await runFap(hosts, dir, ["run", "deploy", "-s", "production", "--exclude-hosts", "host2"]);
    expect(only.code, only.stderr).toBe(0);
    expect(only.stdout).toMatch(/▸ publishing \(1 host\)/);

    const list = await runFap(hosts, dir, ["releases", "-s", "production"]);
    expect(list.code, list.stderr).toBe(0);
    const [one, two] = list.stdout.trimEnd().split("\n\n");
    expect(one!.split("\n")).toHaveLength(3);
    expect(one).toMatch(/^ {2}\* +\d{6}-\d{6}(?:-\d+)? +ok +- +root +\d{4}-\S+Z +← current$/m);
    expect(two!.split("\n")).toHaveLength(2);

    const json = await runFap(hosts, dir, ["releases", "-s", "production", "--hosts", "host1", "--json"]);
    const rows = json.stdout.trim().split("\n").map((l) => JSON.parse(l) as { host: string; current: boolean; status: string });
    expect(rows.map((r) => [r.host, r.current, r.status])).toEqual([
      ["host1", true, "ok"],
      ["host1", false, "ok"],
    ]);

    const typo = await runFap(hosts, dir, ["run", "deploy", "-s", "production", "--hosts", "host3"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^error: host 'host3' is not in the selected stage\/role\nhint: hosts: host1, host2\n$/);
  });
});

describe("a long release log", () => {
  it("is read whole: 3 MiB of old entries do not hide the current release from rollback and releases", async () => {
    const dir = await project({
      "deploy.yml": "app_name: longlog\npath: /srv/www/longlog\nstage_role_configs:\n  production:\n    web:\n      hosts: [host1]\n",
    });
    expect((await runFap(hosts, dir, ["run", "deploy", "-s", "production"])).code).toBe(0);
    // Thousands of deploys long gone: the log is older than the 1 MiB a command result keeps.
    const old = Array.from({ length: 15000 }, (_, i) => JSON.stringify({ id: `100101-${String(i).padStart(6, "0")}`, status: "ok", user: "ann", time: "2010-01-01T00:00:00.000Z", revision: "x".repeat(120) }));
    const log = hosts.hosts[0]!.local("/srv/www/longlog/.fap/releases.log");
    const { readFileSync } = await import("node:fs");
    writeFileSync(log, old.join("\n") + "\n" + readFileSync(log, "utf8"));
    expect((await runFap(hosts, dir, ["run", "deploy", "-s", "production"])).code).toBe(0);
    const rollback = await runFap(hosts, dir, ["rollback", "-s", "production"]);
    expect(rollback.code, rollback.stderr).toBe(0);
    const list = await runFap(hosts, dir, ["releases", "-s", "production", "--json"]);
    expect(list.code, list.stderr).toBe(0);
    const rows = list.stdout.trim().split("\n").map((l) => JSON.parse(l) as { current: boolean; status: string });
    expect(rows.filter((r) => r.current)).toHaveLength(1);
    expect(rows.find((r) => r.current)!.status).toBe("ok");
  });
});
