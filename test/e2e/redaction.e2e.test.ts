import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runFap, type FapRun } from "../harness.js";
import { useTestHosts } from "../three-hosts.js";

const testHosts = useTestHosts(1);

/** Has every character that needs escaping somewhere: `"`, `\`, `'`, `$`, a space and a newline. */
const SECRET = `pa"ss\\wo'rd $HOME x\nline2-of-secret`;
const URL_SECRET = "https://deployer:Pw%2Fsecret-42@example.invalid/x";
const ENV = { FAP_SECRET: SECRET, FAP_URL: URL_SECRET };
const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The forms the secrets can take in output (written out here, not taken from fap's code). */
function forms(): string[] {
  const lines = SECRET.split("\n");
  const shell = (s: string) => s.replace(/'/g, `'\\''`);
  const json = (s: string) => JSON.stringify(s).slice(1, -1);
  return [SECRET, ...lines, shell(SECRET), ...lines.map(shell), json(SECRET), ...lines.map(json), json(json(lines[0]!)), json(shell(lines[0]!)), "Pw%2Fsecret-42", "Pw/secret-42"];
}

/** A run's stdout, stderr and --log file, checked for every form of the secrets. */
function expectNoLeak(run: FapRun, log: string): void {
  const everything = `${run.stdout}\n${run.stderr}\n${existsSync(log) ? readFileSync(log, "utf8") : ""}`;
  expect(forms().filter((form) => everything.includes(form))).toEqual([]);
  expect(everything).not.toMatch(/\u0000|\\u0000/);
}

async function project(extra: string, hooks = ""): Promise<string> {
  return testHosts.project({
    "deploy.yml": `app_name: redact
path: /srv/www/redact
command_timeout: 2
environment:
  API_TOKEN: env:FAP_SECRET
  DB_URL: env:FAP_URL
${extra}
hooks:
  updating: "true"
${hooks}
stage_role_configs:
  production:
    web:
      hosts: [host1]
`,
  });
}

/** `fap ARGS` once as people see it (-v --debug --log) and once with --json (--debug --log). */
async function bothWays(dir: string, args: string[]): Promise<FapRun[]> {
  const runs: FapRun[] = [];
  for (const [i, mode] of [["-v"], ["--json"]].entries()) {
    const log = path.join(dir, `fap-${i}.log`);
    const run = await runFap(testHosts.hosts, dir, [...args, ...mode, "--debug", "--log", log], ENV);
    expectNoLeak(run, log);
    runs.push(run);
  }
  return runs;
}

async function withCurrent(): Promise<void> {
  await testHosts.hosts.hosts[0]!.exec("mkdir -p /srv/www/redact/releases/1 && ln -sfn releases/1 /srv/www/redact/current");
}

describe("a secret never shows, in any of its forms, on any output path", () => {
  it("in a command that times out (--json host-result.error, the error, --debug stacks, --log)", async () => {
    const dir = await project("");
    await withCurrent();
    const command = `echo ${sq(SECRET)} >/dev/null; echo deployer:Pw/secret-42@example.invalid ${URL_SECRET}; sleep 30`;
    const [human, json] = await bothWays(dir, ["once", "-s", "production", "-c", command]);
    expect(human!.stdout).toMatch(/host1 \| deployer:\*\*\*@example.invalid \*\*\*/);
    const result = json!.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).find((e) => e.type === "host-result");
    expect(result?.error).toMatch(/timed out after 2000 ms/);
    expect(result?.error).toContain("***");
  }, 60_000);

  it("in a command whose connection is lost", async () => {
    const dir = await project("");
    await withCurrent();
    const [, json] = await bothWays(dir, ["once", "-s", "production", "-c", `echo ${sq(SECRET)} >/dev/null; kill -9 $PPID; sleep 5`]);
    expect(json!.stdout).toMatch(/"type":"host-result".*connection (lost|closed)/);
  }, 60_000);

  it("in a hook that times out: the error, its --debug stack and causes, the summary, --log", async () => {
    const dir = await project("", `  updated: ${JSON.stringify(`echo ${sq(SECRET)} >/dev/null; sleep 30`)}`);
    const [human, json] = await bothWays(dir, ["run", "deploy", "-s", "production"]);
    expect(human!.stderr).toMatch(/^error: .*timed out after 2000 ms/m);
    expect(human!.stderr).toContain("***");
    expect(json!.stdout).toMatch(/"type":"host-result".*"error":"[^"]*\*\*\*[^"]*timed out after 2000 ms/);
  }, 60_000);

  it("in a type error of a config key (the value quoted as JSON)", async () => {
    const dir = await project("keep_releases: env:FAP_SECRET");
    const [human] = await bothWays(dir, ["run", "deploy", "-s", "production"]);
    expect(human!.stderr).toMatch(/^error: .*'keep_releases' must be a number, got string "\*\*\*"/m);
  }, 60_000);

  it("in a failing hook's output and message, the URL's password also re-encoded and in part", async () => {
    const hook = `cat .env >&2; . ./.env; printf '%s\\n' "\${DB_URL#https://}" | sed 's,%2F,/,' >&2; exit 1`;
    const dir = await project("", `  updated: ${JSON.stringify(hook)}`);
    const [human] = await bothWays(dir, ["run", "deploy", "-s", "production"]);
    expect(human!.stderr).toMatch(/^error: .*exited with 1: deployer:\*\*\*@example.invalid\/x/m);
    expect(human!.stdout).toMatch(/API_TOKEN=/);
  }, 60_000);

  it("in fap config: no internal mark, no value", async () => {
    const dir = await project("keep_releases: env:FAP_SECRET");
    for (const args of [["config", "-s", "production"], ["config", "-s", "production", "--json"]]) {
      const run = await runFap(testHosts.hosts, dir, args, ENV);
      expectNoLeak(run, "");
      expect(run.stderr).toMatch(/'keep_releases' must be a number, got string "\*\*\*"/);
    }
    const fine = await project("");
    const shown = await runFap(testHosts.hosts, fine, ["config", "-s", "production"], ENV);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/environment +\{"API_TOKEN":"\*\*\*","DB_URL":"\*\*\*"\} +.*\(env:FAP_SECRET, env:FAP_URL\)/);
    expectNoLeak(shown, "");
  }, 60_000);
});
