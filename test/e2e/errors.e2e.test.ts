import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectDir, runFap, startTestHosts, type TestHosts } from "../harness.js";

let hosts: TestHosts;
let strangers: TestHosts;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  [hosts, strangers] = await Promise.all([startTestHosts({ count: 1 }), startTestHosts({ count: 1, knownHosts: false })]);
});
afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
  await Promise.all([hosts?.stop(), strangers?.stop()]);
});

async function project(files: Record<string, string>) {
  const p = await projectDir(files);
  cleanups.push(p.cleanup);
  return p.dir;
}

const valid = `app_name: errs
path: /srv/www/errs
stage_role_configs:
  production:
    web:
      hosts: [host1]
`;

describe("mistakes get one line and exit 2", () => {
  const cases: Array<[string, Record<string, string>, string[], RegExp]> = [
    ["no stage", { "deploy.yml": valid }, ["run", "deploy"], /^error: no stage given; stages: production$/m],
    ["unknown stage", { "deploy.yml": valid }, ["run", "deploy", "-s", "prod"], /unknown stage 'prod'; stages: production/],
    ["unknown role", { "deploy.yml": valid }, ["run", "deploy", "-s", "production", "-r", "db"], /unknown role 'db' in stage 'production'; roles: web/],
    ["unknown task", { "deploy.yml": valid }, ["run", "deplo", "-s", "production"], /unknown task 'deplo'/],
    ["wrong type", { "deploy.yml": valid.replace("path:", "keep_releases: five\npath:") }, ["run", "deploy", "-s", "production"], /top level: 'keep_releases' must be a number, got string "five"/],
    ["bad YAML", { "deploy.yml": "app_name: x\n  stage_role_configs: [\n" }, ["run", "deploy", "-s", "production"], /deploy\.yml:\d+: /],
    ["no config", {}, ["run", "deploy", "-s", "production"], /no deploy config found/],
    ["missing key", { "deploy.yml": valid.replace("/srv/www/errs", "/srv/%(nope)s") }, ["run", "deploy", "-s", "production"], /unknown key 'nope' in %\(nope\)s, used by 'path'/],
    ["unknown plugin", { "deploy.yml": `plugins: [fapistrano.nothere]\n${valid}` }, ["run", "deploy", "-s", "production"], /plugin 'fapistrano\.nothere' not found/],
    ["unknown option", { "deploy.yml": valid }, ["run", "deploy", "-s", "production", "--no-such-key=1"], /unknown option --no-such-key/],
    ["misspelt hook", { "deploy.yml": `hooks:\n  updatng: make\n${valid}` }, ["run", "deploy", "-s", "production"], /hooks: unknown hook 'updatng'/],
  ];
  it.each(cases)("%s", async (_name, files, args, message) => {
    const result = await runFap(hosts, await project(files), args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    const lines = result.stderr.trim().split("\n");
    expect(lines[0]).toMatch(/^error: /);
    expect(lines.slice(1).every((l) => l.startsWith("hint: "))).toBe(true);
    expect(existsSync(hosts.hosts[0]!.local("/srv/www/errs"))).toBe(false);
  });

  it("prints the stack only with --debug", async () => {
    const result = await runFap(hosts, await project({ "deploy.yml": valid }), ["run", "deploy", "-s", "prod", "--debug"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\n\s+at /);
    // fap's files are minified bundles: the stack names the TypeScript sources, through their source maps.
    expect(result.stderr).toMatch(/\n\s+at .*\/packages\/(cli|core)\/src\/[\w/-]+\.ts:\d+:\d+\)?\n/);
  });
});

describe("host keys", () => {
  it("refuses a host whose key is not in known_hosts, naming the fingerprint and the fix", async () => {
    const dir = await project({ "deploy.yml": valid });
    const result = await runFap(strangers, dir, ["run", "deploy", "-s", "production"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(strangers.hosts[0]!.fingerprint);
    expect(result.stderr).toMatch(/not known/);
    expect(result.stderr).toMatch(/--accept-new-host-keys/);
    expect(existsSync(strangers.hosts[0]!.local("/srv/www/errs"))).toBe(false);

    const accepted = await runFap(strangers, dir, ["run", "deploy", "-s", "production", "--accept-new-host-keys"]);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(existsSync(strangers.hosts[0]!.local("/srv/www/errs/current"))).toBe(true);
    // Stored as ssh would store it, once: the next run trusts the host without the flag.
    expect(readFileSync(strangers.knownHostsPath, "utf8")).toBe(`${strangers.hosts[0]!.hostKeyLine}\n`);
    const trusted = await runFap(strangers, dir, ["run", "deploy", "-s", "production"]);
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(readFileSync(strangers.knownHostsPath, "utf8")).toBe(`${strangers.hosts[0]!.hostKeyLine}\n`);
  });
});
