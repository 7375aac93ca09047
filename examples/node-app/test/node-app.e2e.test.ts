// examples/node-app run for real: its deploy.yml, the real fap binary, three sshd hosts with git,
// node and the repository's own pm2 (each host its own PM2_HOME under its private /srv), and
// the app committed to a git repository whose working tree is the project fap runs in (as in
// CI: the checkout is built once, locally, and the same commit is deployed).
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorLines, expectNewProcesses, expectQuietSuccess, gitRepo, hostTree, runFap, startTestHosts, type FapRun, type GitRepo, type TestHosts } from "../../../test/harness.js";
import { httpGet } from "../../../packages/plugin-supervisorctl/test/_fixtures.js";

const EXAMPLE = fileURLToPath(new URL("..", import.meta.url));
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const PM2 = path.join(ROOT, "node_modules/.bin/pm2");
const PORTS = [20141, 20142, 20143]; // as in deploy.yml
const DEPLOY_PATH = "/srv/www/node-app";

let hosts: TestHosts;
let work: string;
let repo: GitRepo;
const shas: string[] = [];

beforeAll(async () => {
  work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-node-app-")));
  repo = gitRepo(work, "node-app");
  // The example, as a repository of its own.
  cpSync(EXAMPLE, repo.src, { recursive: true, filter: (from) => !/\/(test|README\.md|node_modules|dist)$/.test(from) });
  shas.push(repo.commit({}, "version 1"));
  hosts = await startTestHosts({ count: 3 });
}, 60_000);

afterAll(async () => {
  // Every pm2 daemon the deploys started, whatever the tests came to.
  if (hosts) await Promise.all(hosts.hosts.filter((host) => host.running).map((host) => host.exec(`PM2_HOME=/srv/pm2 ${PM2} kill >/dev/null 2>&1 || true`)));
  await hosts?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

// esbuild, the build's tool, from the monorepo (a real app lists it in its devDependencies).
const BUILD_PATH = { PATH: `${path.join(ROOT, "node_modules/.bin")}:${process.env.PATH ?? ""}` };
const fap = (...args: string[]): Promise<FapRun> => runFap(hosts, repo.src, [...args, `--repo=${repo.bare}`, `--pm2-bin=${PM2}`], BUILD_PATH);
const deploy = (...args: string[]) => fap("run", "deploy", "-s", "production", ...args);
const answers = () => Promise.all(PORTS.map((port) => httpGet(port)));
const pids = () => Promise.all(PORTS.map((port) => httpGet(port, "/pid")));
const hello = (sha: string) => PORTS.map(() => `hello from ${sha}\n`);
/** What the committed greeting says before the revision (the redeploy test changes it). */
const greeting = () => /`([^`$]*) \$\{revision\}`/.exec(readFileSync(path.join(repo.src, "vendor/greeting/index.js"), "utf8"))![1]!;
const helloNow = (sha: string) => PORTS.map(() => `${greeting()} ${sha}\n`);
const currents = () => Promise.all([0, 1, 2].map(async (i) => (await hostTree(hosts, i, DEPLOY_PATH)).current));

describe("examples/node-app: git + node + pm2 on three hosts", () => {
  it("deploys: built once locally, npm ci on each host, pm2 runs two processes answering with the revision", async () => {
    const run = await deploy();
    expectQuietSuccess(run);
    expect(run.stdout).toMatch(/built locally with `npm run build` in [\d.]+ s: dist\//);
    expect(run.stdout).toMatch(/host2 \| npm: production dependencies in [\d.]+ s \(node v\d+/);
    expect(run.stdout).toMatch(/host3 \| node-app#1 online \d+ s/);
    expect(await answers()).toEqual(hello(shas[0]!));
    const tree = await hostTree(hosts, 0, DEPLOY_PATH);
    const release = tree.local(tree.current!);
    // dist/ is not in git: it came from the local build; greeting was installed by npm ci.
    expect(existsSync(path.join(release, "dist/server.js"))).toBe(true);
    expect(lstatSync(path.join(release, "node_modules/greeting")).isSymbolicLink()).toBe(true);
    expect(existsSync(tree.local("shared/node-cache/npm"))).toBe(true);
  });

  it("fap doctor checks each host's node against the app's engines.node", async () => {
    const run = await fap("doctor", "-s", "production");
    expectQuietSuccess(run);
    expect(run.stdout).toMatch(/✓ engines\.node +node v\d+\.\d+\.\d+ satisfies engines\.node >=20 \(package\.json\)/);
    expect(run.stdout.match(/✓ engines\.node/g)).toHaveLength(3);
  });

  it("redeploys: cluster mode reloads both processes into the new release", async () => {
    await expectNewProcesses(pids, () => {
      shas.push(repo.commit({ "vendor/greeting/index.js": "exports.hello = (revision) => `hello again from ${revision}`;\n" }, "version 2"));
      return deploy();
    });
    expect(await answers()).toEqual(PORTS.map(() => `hello again from ${shas[1]}\n`));
  });

  it("rolls back: pm2 reloads the app into the previous release", async () => {
    const run = await fap("run", "rollback", "-s", "production");
    expectQuietSuccess(run);
    expect(await answers()).toEqual(hello(shas[0]!));
  });

  it("restarts with fap run restart, and reports with pm2:status", async () => {
    await expectNewProcesses(pids, () => fap("run", "restart", "-s", "production"));
    const status = await fap("run", "pm2:status", "-s", "production");
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/host1 \| node-app#0 online \d+ s/);
    expect(await answers()).toEqual(hello(shas[0]!));
  });

  it("a release that crashes on start fails the deploy with its log; every host goes back and answers with the old revision", async () => {
    const before = await currents();
    const good = readFileSync(path.join(repo.src, "src/server.ts"), "utf8");
    // It listens, then dies when it reaches for its database: pm2 sees it online, then restarting.
    const connect = `setTimeout(() => { if (!process.env.DATABASE_URL) throw new Error("boom: DATABASE_URL is not set"); }, 300);\n`;
    repo.commit({ "src/server.ts": `${good}\n${connect}` }, "needs a database");
    const run = await deploy();
    expect(run.code).toBe(1);
    expect(errorLines(run)[0]).toContain("its log ends with: Error: boom: DATABASE_URL is not set");
    expect(errorLines(run)[0]).toMatch(/\[fap:pm2\] published: node-app does not stay online under pm2: node-app#0 /);
    expect(run.stderr).toContain("every host was switched back to the release it had before");
    expect(run.stdout).toContain("Error: boom: DATABASE_URL is not set");
    expect(run.stdout).toMatch(/node-app runs release [\w-]+ again/);
    expect(await currents()).toEqual(before);
    expect(await answers()).toEqual(hello(shas[0]!));
    repo.commit({ "src/server.ts": good }, "no database after all");
  });

  it("refuses, in one line and before any host switches, a release without a lockfile, a node older than engines.node, and a pnpm lockfile without pnpm", async () => {
    const before = await currents();
    const pkg = JSON.parse(readFileSync(path.join(repo.src, "package.json"), "utf8")) as Record<string, unknown>;
    const lock = readFileSync(path.join(repo.src, "package-lock.json"), "utf8");

    repo.git("rm", "-q", "package-lock.json");
    repo.commit({}, "no lockfile");
    const noLock = await deploy();
    expect(noLock.code).toBe(2);
    expect(errorLines(noLock)[0]).toContain("[fap:node] updated: the release has no lockfile (package-lock.json, pnpm-lock.yaml or yarn.lock)");
    expect(noLock.stderr).not.toMatch(/\n\s+at /);

    repo.commit({ "pnpm-lock.yaml": "lockfileVersion: '9.0'\n" }, "pnpm");
    const pnpm = await deploy();
    expect(pnpm.code).toBe(2);
    expect(errorLines(pnpm)[0]).toContain("pnpm-lock.yaml asks for pnpm, which is not on the host's PATH");
    expect(pnpm.stderr).toContain("hint: install pnpm on the host");

    repo.git("rm", "-q", "pnpm-lock.yaml");
    repo.commit({ "package-lock.json": lock, "package.json": `${JSON.stringify({ ...pkg, engines: { node: ">=99" } }, null, 2)}\n` }, "needs node 99");
    const engines = await deploy();
    expect(engines.code).toBe(2);
    expect(errorLines(engines)[0]).toMatch(/the host's node v\d+\.\d+\.\d+ does not satisfy the app's engines\.node >=99/);
    const doctor = await fap("doctor", "-s", "production");
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/✗ engines\.node +the host's node v\d+\.\d+\.\d+ does not satisfy the app's engines\.node >=99 \(package\.json\)\n.*fix: install a node that matches >=99 on the host/);
    expect(doctor.stdout).toContain("3 of 3 hosts need attention");

    expect(await currents()).toEqual(before);
    expect(await answers()).toEqual(hello(shas[0]!));
    repo.commit({ "package.json": `${JSON.stringify(pkg, null, 2)}\n` }, "any node 20");
  }, 120_000);
});

describe("examples/node-app: the build on the hosts, and the app's own pm2 ecosystem file", () => {
  it("node_build: host installs every dependency, builds and drops the dev dependencies in each release", async () => {
    const pkg = JSON.parse(readFileSync(path.join(repo.src, "package.json"), "utf8")) as Record<string, unknown>;
    // A dev dependency the build needs (it checks it is there) and the release must not keep.
    repo.commit({ "vendor/dev-only/package.json": `${JSON.stringify({ name: "dev-only", version: "1.0.0" })}\n`, "package.json": `${JSON.stringify({ ...pkg, devDependencies: { "dev-only": "file:vendor/dev-only" } }, null, 2)}\n` }, "a dev dependency");
    execFileSync("npm", ["install", "--package-lock-only", "--offline", "--no-audit", "--no-fund"], { cwd: repo.src, stdio: "pipe" });
    shas.push(repo.commit({}, "its lockfile"));
    const build = `test -d node_modules/dev-only && PATH=${BUILD_PATH.PATH.split(":")[0]}:$PATH npm run build`;
    // The build stage reads node_build once, from the top level: a command line that says
    // otherwise is refused before any release is made, not built twice (locally and on the hosts).
    const before = await currents();
    const refused = await deploy("--node-build=host");
    expect(refused.code).toBe(2);
    expect(errorLines(refused)[0]).toContain("[fap:node] starting: node_build is host here (its stage, role or the command line), but the build stage ran with the top level's local");
    expect(await currents()).toEqual(before);
    const config = readFileSync(path.join(repo.src, "deploy.yml"), "utf8").replace("node_build: local", `node_build: host\nnode_build_command: '${build}'`);
    shas.push(repo.commit({ "deploy.yml": config }, "build on the hosts"));
    const run = await deploy();
    expectQuietSuccess(run);
    expect(run.stdout).not.toContain("built locally");
    expect(run.stdout).toMatch(/host1 \| npm: dependencies, `test -d node_modules\/dev-only && .*npm run build`, dev dependencies dropped in [\d.]+ s/);
    expect(await answers()).toEqual(helloNow(shas.at(-1)!));
    for (const i of [0, 1, 2]) {
      const tree = await hostTree(hosts, i, DEPLOY_PATH);
      const release = tree.local(tree.current!);
      expect(existsSync(path.join(release, "dist/server.js"))).toBe(true);
      expect(existsSync(path.join(release, "node_modules/greeting"))).toBe(true);
      expect(existsSync(path.join(release, "node_modules/dev-only"))).toBe(false);
    }
  }, 120_000);

  it("pm2_ecosystem starts the app from the ecosystem file in the release", async () => {
    // The app's own ecosystem: paths relative (fap starts it with --cwd current), PORT from the
    // .env fap writes into each release from `environment`.
    const ecosystem = [
      'const { readFileSync } = require("node:fs");',
      'const env = Object.fromEntries(readFileSync(".env", "utf8").split("\\n").filter(Boolean).map((line) => line.split("=")).map(([k, v]) => [k, v.replace(/^\'|\'$/g, "")]));',
      'module.exports = { apps: [{ name: "node-app", script: "dist/server.js", exec_mode: "cluster", instances: 2, env: { ...env, FROM_ECOSYSTEM: "yes" } }] };',
      "",
    ].join("\n");
    const config = readFileSync(path.join(repo.src, "deploy.yml"), "utf8");
    shas.push(repo.commit({ "ecosystem.config.cjs": ecosystem, "deploy.yml": `${config}environment:\n  PORT: '%(app_port)s'\n` }, "an ecosystem file"));
    const run = await deploy("--pm2-ecosystem=ecosystem.config.cjs");
    expectQuietSuccess(run);
    expect(await answers()).toEqual(helloNow(shas.at(-1)!));
    const tree = await hostTree(hosts, 0, DEPLOY_PATH);
    expect(existsSync(tree.local(`${tree.current!}/ecosystem.config.cjs`))).toBe(true);
    const list = JSON.parse((await hosts.hosts[0]!.exec(`PM2_HOME=/srv/pm2 ${PM2} jlist`)).stdout) as Array<{ name: string; pm2_env: Record<string, unknown> }>;
    const apps = list.filter((app) => app.name === "node-app");
    expect(apps).toHaveLength(2);
    for (const app of apps) expect(app.pm2_env).toMatchObject({ FROM_ECOSYSTEM: "yes", PORT: "20141", status: "online" });
  });
});

// The same hosts, the app shipped as CI builds it: ./ci-build.sh (build once, production
// dependencies installed once) and deploy.ci.yml (upload + node + pm2; no git on the hosts).
describe("examples/node-app from a CI build folder: upload + node + pm2 on three hosts", () => {
  const CI_PORTS = [20144, 20145, 20146]; // as in deploy.ci.yml
  const CI_PATH = "/srv/www/node-app-ci";
  const ciBuild = () => execFileSync("sh", ["ci-build.sh"], { cwd: repo.src, env: { ...process.env, ...BUILD_PATH }, stdio: "pipe" });
  const ciFap = (...args: string[]) => runFap(hosts, repo.src, [...args, "-c", "deploy.ci.yml", `--pm2-bin=${PM2}`], BUILD_PATH);
  const ciDeploy = () => ciFap("run", "deploy", "-s", "production");
  const ciAnswers = () => Promise.all(CI_PORTS.map((port) => httpGet(port)));
  const ciHello = (sha: string, says = greeting()) => CI_PORTS.map(() => `${says} ${sha}\n`);
  const ciTrees = () => Promise.all([0, 1, 2].map((i) => hostTree(hosts, i, CI_PATH)));
  const inode = (tree: Awaited<ReturnType<typeof hostTree>>, release: string, file: string) => statSync(tree.local(`releases/${release}/${file}`)).ino;
  const ciShas: string[] = [];
  let firstSays = "";

  it("deploys the build folder: no git, nothing installed on the hosts, pm2 answering with the revision", async () => {
    ciShas.push(repo.git("rev-parse", "HEAD")); // the checkout CI builds
    firstSays = greeting();
    ciBuild();
    const run = await ciDeploy();
    expectQuietSuccess(run);
    expect(run.stdout).not.toMatch(/npm: |built locally/);
    expect(await ciAnswers()).toEqual(ciHello(ciShas[0]!));
    for (const tree of await ciTrees()) {
      const release = tree.local(tree.current!);
      expect(readFileSync(path.join(release, "REVISION"), "utf8").trim()).toBe(ciShas[0]);
      // node_modules came with the upload, as real folders: nothing links back to the checkout.
      expect(lstatSync(path.join(release, "node_modules/greeting")).isDirectory()).toBe(true);
      expect(existsSync(path.join(release, "src"))).toBe(false);
      expect(existsSync(path.join(release, ".git"))).toBe(false);
    }
  });

  it("redeploys one change: unchanged files are hard links of the previous release's (same inode), the changed ones new", async () => {
    const good = readFileSync(path.join(repo.src, "vendor/greeting/index.js"), "utf8");
    ciShas.push(repo.commit({ "vendor/greeting/index.js": good.replace(/`[^`$]* \$\{revision\}`/, "`hello from CI, ${revision}`") }, "CI build 2"));
    ciBuild();
    const run = await ciDeploy();
    expectQuietSuccess(run);
    expect(await ciAnswers()).toEqual(ciHello(ciShas[1]!));
    for (const tree of await ciTrees()) {
      const [previous, latest] = tree.releases.slice(-2) as [string, string];
      expect(tree.current).toBe(`releases/${latest}`);
      for (const same of ["dist/server.js", "package.json", "package-lock.json", "node_modules/greeting/package.json"]) {
        expect(inode(tree, latest, same), same).toBe(inode(tree, previous, same));
      }
      for (const changed of ["REVISION", "node_modules/greeting/index.js"]) {
        expect(inode(tree, latest, changed), changed).not.toBe(inode(tree, previous, changed));
      }
    }
  });

  it("rolls back to the first build", async () => {
    const run = await ciFap("run", "rollback", "-s", "production");
    expectQuietSuccess(run);
    expect(await ciAnswers()).toEqual(ciHello(ciShas[0]!, firstSays));
  });

  it("a build that crashes on start is switched back on every host, which answers with the old revision", async () => {
    const before = (await ciTrees()).map((tree) => tree.current);
    const good = readFileSync(path.join(repo.src, "src/server.ts"), "utf8");
    repo.commit({ "src/server.ts": `${good}\nsetTimeout(() => { throw new Error("boom: no DATABASE_URL in CI's build"); }, 300);\n` }, "CI build 3 crashes");
    ciBuild();
    const run = await ciDeploy();
    expect(run.code).toBe(1);
    expect(errorLines(run)[0]).toMatch(/\[fap:pm2\] published: node-app-ci does not stay online under pm2/);
    expect(run.stderr).toContain("every host was switched back to the release it had before");
    expect((await ciTrees()).map((tree) => tree.current)).toEqual(before);
    expect(await ciAnswers()).toEqual(ciHello(ciShas[0]!, firstSays));
    repo.commit({ "src/server.ts": good }, "CI build 4 no crash");
  });
});
