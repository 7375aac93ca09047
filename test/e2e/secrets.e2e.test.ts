import { readFileSync, statSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostTree, projectDir, runFap, startTestHosts, type TestHosts } from "../harness.js";

let hosts: TestHosts;
const cleanups: Array<() => Promise<void>> = [];
const TOKEN = "s3cr3t-'token'-$(never)";

beforeAll(async () => {
  hosts = await startTestHosts({ count: 2 });
});
afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
  await hosts?.stop();
});

async function project(hooks: string) {
  const p = await projectDir({
    "deploy.yml": `app_name: secrets
path: /srv/www/secrets
environment:
  API_TOKEN: env:FAP_TEST_TOKEN
  MODE: production
hooks:
${hooks}
stage_role_configs:
  production:
    web:
      hosts: [host1, host2]
`,
  });
  cleanups.push(p.cleanup);
  return p.dir;
}

describe("secrets", () => {
  it("writes environment to .env over stdin and never shows a secret, even verbose", async () => {
    const dir = await project("  published: cat .env");
    const run = await runFap(hosts, dir, ["run", "deploy", "-s", "production", "-v"], { FAP_TEST_TOKEN: TOKEN });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toContain("s3cr3t");
    expect(run.stdout).toMatch(/host1 \| API_TOKEN='\*\*\*'/);
    const tree = await hostTree(hosts, 0, "/srv/www/secrets");
    const env = tree.local("current/.env");
    expect(statSync(env).mode & 0o777).toBe(0o600);
    const line = readFileSync(env, "utf8").split("\n").find((l) => l.startsWith("API_TOKEN="))!;
    const { stdout } = await hosts.hosts[0]!.exec(`set -a; . /srv/www/secrets/current/.env; printf %s "$API_TOKEN"`);
    expect(stdout).toBe(TOKEN);
    expect(line).not.toBe(`API_TOKEN=${TOKEN}`);
  });

  it("redacts a secret from the error of a failing command", async () => {
    const dir = await project("  updated: grep API_TOKEN .env >&2; exit 1");
    const run = await runFap(hosts, dir, ["run", "deploy", "-s", "production"], { FAP_TEST_TOKEN: TOKEN });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: deploy failed on 2 hosts: .*API_TOKEN='\*\*\*'/m);
    expect(run.stdout + run.stderr).not.toContain("s3cr3t");
  });

  it("names the missing environment variable", async () => {
    const dir = await project("  updated: true");
    const run = await runFap(hosts, dir, ["run", "deploy", "-s", "production"], { FAP_TEST_TOKEN: "" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: environment\.API_TOKEN: the environment variable FAP_TEST_TOKEN is not set$/m);
  });
});
