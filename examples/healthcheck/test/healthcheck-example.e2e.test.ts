// examples/healthcheck run for real: its deploy.yml, the real fap binary, three sshd hosts each
// running supervisord, and the app in ./source committed to a git repository.
import { readdirSync, readFileSync, statSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { gitRepo, hostTree, runFap, startTestHosts, type GitRepo, type TestHosts } from "../../../test/harness.js";
import { httpGet, startSupervisord, stopSupervisord } from "../../../packages/plugin-supervisorctl/test/_fixtures.js";

const EXAMPLE = fileURLToPath(new URL("..", import.meta.url));
const PORTS = [20121, 20122, 20123]; // as in deploy.yml

let hosts: TestHosts;
let work: string;
let repo: GitRepo;

/** Every file of ./source, as the repository's content. */
function source(dir = path.join(EXAMPLE, "source"), prefix = ""): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) Object.assign(files, source(full, `${prefix}${name}/`));
    else files[`${prefix}${name}`] = readFileSync(full, "utf8");
  }
  return files;
}

beforeAll(async () => {
  work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-hc-example-")));
  repo = gitRepo(work, "app");
  hosts = await startTestHosts({ count: 3 });
  await Promise.all(hosts.hosts.map((host, i) => startSupervisord(host, PORTS[i]!)));
}, 60_000);

afterAll(async () => {
  if (hosts) await Promise.all(hosts.hosts.map((host) => stopSupervisord(host)));
  await hosts?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const deploy = () => runFap(hosts, EXAMPLE, ["run", "deploy", "-s", "production", `--repo=${repo.bare}`]);
const answers = () => Promise.all(PORTS.map((port) => httpGet(port)));

it("deploys with a canary and a health check; a broken release never gets past the canary", async () => {
  repo.commit(source(), "version 1");
  const first = await deploy();
  expect(first.code, first.stderr).toBe(0);
  expect(first.stdout).toContain("▸ canary: host1 still healthy; publishing the other hosts");
  expect(await answers()).toEqual(["version 1\n", "version 1\n", "version 1\n"]);

  repo.commit({ VERSION: "2\n", BROKEN: "" }, "version 2, which cannot reach its database");
  const currents = await Promise.all([0, 1, 2].map(async (i) => (await hostTree(hosts, i, "/srv/www/hc-example")).current));
  const second = await deploy();
  expect(second.code).toBe(1);
  expect(second.stderr).toContain('host1 (checking): [fap:healthcheck] checking: unhealthy after 4 tries');
  expect(second.stderr).toContain('http://127.0.0.1:20121/up answered 500, not 200: "cannot reach the database"');
  expect(await Promise.all([0, 1, 2].map(async (i) => (await hostTree(hosts, i, "/srv/www/hc-example")).current))).toEqual(currents);
  expect(await answers()).toEqual(["version 1\n", "version 1\n", "version 1\n"]);
}, 120_000);
