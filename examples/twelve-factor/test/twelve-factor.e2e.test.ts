// Fapistrano's "12 factor deployment" page, run: each folder next to this one holds Fapistrano's
// deploy.yml for one factor (pointed at local test hosts), and each case below runs it with
// the real fap binary and checks the one thing that factor is about.
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gitRepo, hostTree, runFap, startTestHosts, type FapRun, type GitRepo, type TestHosts } from "../../../test/harness.js";
import { buildGreetingWheel } from "../../../packages/plugin-virtualenv/test/_fixtures.js";
import { programState, startSupervisord, stopSupervisord, SUPERVISORD_CONF } from "../../../packages/plugin-supervisorctl/test/_fixtures.js";

const EXAMPLES = fileURLToPath(new URL("..", import.meta.url));

/** A program supervisord can keep up without any app: startsecs=0 makes it RUNNING at once. */
function programConf(name: string): string {
  return `[program:${name}]\ncommand=/bin/sleep 600\nstartsecs=0\nstopwaitsecs=2\n`;
}

/** The application every git-based example deploys: one repository, as Fapistrano's Codebase says. */
const SOURCE: Record<string, string> = {
  "README.md": "The twelve-factor example app\n",
  "app/__init__.py": "",
  "app/settings/__init__.py": "",
  "production-requirements.txt": "greeting==1.0\n",
  "configs/supervisor_web.conf": programConf("disposability"),
  "scripts/cleanup_sessions.sh": `#!/bin/sh\nset -e\necho "cleaned sessions in $(pwd -P)" | tee -a "$(pwd -P)/../../shared/admin.log"\n`,
};

let hosts: TestHosts;
let work: string;
let wheels: string;
let repo: GitRepo;
let sha: string;

beforeAll(async () => {
  work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-twelve-factor-")));
  wheels = path.join(work, "wheels");
  buildGreetingWheel(work, wheels, "1.0");
  repo = gitRepo(work, "app");
  sha = repo.commit(SOURCE, "the app");
  hosts = await startTestHosts({ count: 3 });
  await Promise.all(hosts.hosts.map((host, i) => startSupervisord(host, 20_000 + i)));
});

afterAll(async () => {
  if (hosts) await Promise.all(hosts.hosts.map((host) => stopSupervisord(host)));
  await hosts?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs fap in examples/twelve-factor/FOLDER, where its deploy.yml is; plugins resolve from the monorepo. */
function fap(folder: string, ...args: string[]): Promise<FapRun> {
  return runFap(hosts, path.join(EXAMPLES, folder), args);
}

/** `fap release -s production --repo=<the app's bare repository> ...`, which must succeed. */
async function release(folder: string, ...args: string[]): Promise<FapRun> {
  return releaseWith(folder, `--repo=${repo.bare}`, ...args);
}

/** `fap release -s production ARGS`, which must succeed. */
async function releaseWith(folder: string, ...args: string[]): Promise<FapRun> {
  const run = await fap(folder, "release", "-s", "production", ...args);
  expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
  return run;
}

/** Writes FILE into a host's shared/ before the first deploy, as an operator would. */
function putShared(hostIndex: number, deployPath: string, file: string, content: string): void {
  const local = hosts.hosts[hostIndex]!.local(path.posix.join(deployPath, "shared", file));
  mkdirSync(path.dirname(local), { recursive: true });
  writeFileSync(local, content);
}

/** Where `current/FILE` on a host links to, as the host sees it. */
function linkOf(hostIndex: number, deployPath: string, file: string): string {
  return readlinkSync(hosts.hosts[hostIndex]!.local(path.posix.join(deployPath, "current", file)));
}

/** A file's content as the host reads it (following its absolute /srv symlinks). */
async function cat(hostIndex: number, remotePath: string): Promise<string> {
  const run = await hosts.hosts[hostIndex]!.exec(`cat '${remotePath}'`);
  if (run.exitCode !== 0) throw new Error(`cat ${remotePath}: ${run.stderr}`);
  return run.stdout;
}

/** The live release's directory on a host (`current` is a relative link: releases/<id>). */
async function liveRelease(hostIndex: number, deployPath: string): Promise<string> {
  const tree = await hostTree(hosts, hostIndex, deployPath);
  if (!tree.current) throw new Error(`no current on host${hostIndex + 1}:${deployPath}`);
  return path.posix.join(deployPath, tree.current);
}

describe("Fapistrano's twelve factors, deployed with fap", () => {
  it("Codebase: one repository, many deploys (production web x2, worker, cron), each with its own conf", async () => {
    const deployPath = "/srv/www/codebase";
    for (const i of [0, 1]) putShared(i, deployPath, "configs/supervisor_production_web.conf", programConf("codebase-web"));
    // worker and cron share host3 and its path, as app-job01 in Fapistrano's example
    putShared(2, deployPath, "configs/supervisor_production_worker.conf", programConf("codebase-worker"));
    putShared(2, deployPath, "configs/supervisor_production_cron.conf", programConf("codebase-cron"));

    const run = await release("codebase", "--json");
    // one release on host3 for both of its roles, and its code exported into it once
    expect((await hostTree(hosts, 2, deployPath)).releases).toHaveLength(1);
    const events = run.stdout.trim().split("\n").map((line) => JSON.parse(line) as { type: string; host?: string; command?: string });
    const exports = events.filter((e) => e.type === "command" && e.host === "host3" && /git .*archive/.test(e.command ?? ""));
    expect(exports).toHaveLength(1);

    const deploys = [
      [0, "web"],
      [1, "web"],
      [2, "worker"],
      [2, "cron"],
    ] as const;
    for (const [i, role] of deploys) {
      const tree = await hostTree(hosts, i, deployPath);
      // the same commit of the one codebase everywhere...
      expect(readFileSync(tree.local("current/REVISION"), "utf8").trim()).toBe(sha);
      // ...with this instance's own conf, from shared/, run by this host's supervisord
      expect(linkOf(i, deployPath, `configs/supervisor_production_${role}.conf`)).toBe(`${deployPath}/shared/configs/supervisor_production_${role}.conf`);
      expect((await programState(hosts.hosts[i]!, `codebase-${role}`)).state).toBe("RUNNING");
    }
  });

  it("Dependencies: each release gets its own venv with the requirements installed (Fapistrano's unterminated quote is forgiven)", async () => {
    const run = await release(
      "dependencies",
      `--virtualenv-pip-options=--no-index,--find-links,${wheels}`,
      "--virtualenv-pip-config-file=/dev/null",
    );
    expect(run.stderr).toMatch(/warning: deploy\.yml:\d+: missing closing quote; read to the end of the line/);

    const tree = await hostTree(hosts, 0, "/srv/www/dependencies");
    const releaseDir = `/srv/www/dependencies/releases/${tree.releases.at(-1)}`;
    const python = await hosts.hosts[0]!.exec(`${releaseDir}/venv/bin/python -c "import greeting; print(greeting.__file__)"`);
    expect(python.exitCode, python.stderr).toBe(0);
    expect(python.stdout.trim().startsWith(`${releaseDir}/venv/`)).toBe(true);
  });

  it("Config: the settings file is a symlink into shared/, never a file of the release", async () => {
    putShared(0, "/srv/www/config", "app/settings/production.py", 'SECRET_KEY = "from shared/"\n');

    await release("config");

    const file = hosts.hosts[0]!.local("/srv/www/config/current/app/settings/production.py");
    expect(lstatSync(file).isSymbolicLink()).toBe(true);
    expect(linkOf(0, "/srv/www/config", "app/settings/production.py")).toBe("/srv/www/config/shared/app/settings/production.py");
    expect(await cat(0, "/srv/www/config/current/app/settings/production.py")).toContain("from shared/");
  });

  it("Build, Release, Run: the built tgz is downloaded, extracted and installed; no repository, no build on the host", async () => {
    const build = path.join(work, "build");
    mkdirSync(path.join(build, "static"), { recursive: true });
    writeFileSync(path.join(build, "app.py"), 'print("built")\n');
    writeFileSync(path.join(build, "static/app.min.js"), "console.log(1)\n");
    writeFileSync(path.join(build, "install.sh"), '#!/bin/sh\nset -e\necho "installed in $(pwd -P)" > INSTALLED\n', { mode: 0o755 });
    const artifact = path.join(work, "app-1.0.0.tgz");
    execFileSync("tar", ["-czf", artifact, "-C", build, "."]);

    const server: Server = createServer((req, res) => {
      if (req.url !== "/builds/app-1.0.0.tgz") return void res.writeHead(404).end();
      res.writeHead(200, { "Content-Type": "application/gzip" }).end(readFileSync(artifact));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      await releaseWith("build-release-run", `--curl-url=http://127.0.0.1:${port}/builds/app-1.0.0.tgz`);
    } finally {
      server.close();
    }

    for (const i of [0, 1]) {
      const tree = await hostTree(hosts, i, "/srv/www/build-release-run");
      const releaseDir = await liveRelease(i, "/srv/www/build-release-run");
      expect(tree.releases).toHaveLength(1);
      expect(readFileSync(tree.local("current/static/app.min.js"), "utf8")).toBe("console.log(1)\n");
      expect(readFileSync(tree.local("current/INSTALLED"), "utf8").trim()).toBe(`installed in ${releaseDir}`);
      expect(existsSync(tree.local("current/app-1.0.0.tgz"))).toBe(false); // extracted, then removed
      expect(existsSync(tree.local("repo"))).toBe(false); // no git on this path at all
    }
  });

  it("Processes: log files are linked into shared/ and outlive the release that wrote them", async () => {
    const deployPath = "/srv/www/processes";
    await release("processes");
    const first = await hostTree(hosts, 0, deployPath);
    for (const log of ["log/audio-transcoding.log", "log/image-compress.log"]) {
      expect(linkOf(0, deployPath, log)).toBe(`${deployPath}/shared/${log}`);
    }
    // the app writes its log through the release's link
    const wrote = await hosts.hosts[0]!.exec(`echo "transcoded 1.mp3" >> ${deployPath}/current/log/audio-transcoding.log`);
    expect(wrote.exitCode, wrote.stderr).toBe(0);

    await release("processes");
    const second = await hostTree(hosts, 0, deployPath);
    expect(second.current).not.toBe(first.current);
    expect(linkOf(0, deployPath, "log/audio-transcoding.log")).toBe(`${deployPath}/shared/log/audio-transcoding.log`);
    expect(await cat(0, `${deployPath}/current/log/audio-transcoding.log`)).toBe("transcoded 1.mp3\n");
    expect(readFileSync(second.local("shared/log/audio-transcoding.log"), "utf8")).toBe("transcoded 1.mp3\n");
  });

  it("Concurrency: scaling out is adding hosts; all three get the same release", async () => {
    await release("concurrency");
    const trees = await Promise.all([0, 1, 2].map((i) => hostTree(hosts, i, "/srv/www/concurrency")));
    for (const tree of trees) {
      expect(tree.current).toMatch(/^releases\/.+/);
      expect(readFileSync(tree.local("current/REVISION"), "utf8").trim()).toBe(sha);
      expect(tree.log.at(-1)?.status).toBe("ok");
    }
    // one release id for the whole run, on every host
    expect(new Set(trees.map((tree) => tree.current)).size).toBe(1);
  });

  it("Disposability: supervisor restarts the app into the new release and fap waits until it is RUNNING", async () => {
    const host = hosts.hosts[0]!;
    const run = await release("disposability");
    expect(run.stdout).toMatch(/host1 \| disposability RUNNING pid \d+/); // supervisor_output + supervisor_check_status
    const tree = await hostTree(hosts, 0, "/srv/www/disposability");
    // supervisord includes the live release's conf...
    expect(readlinkSync(host.local("/srv/supervisor/conf.d/disposability.conf"))).toBe(`/srv/www/disposability/${tree.current}/configs/supervisor_web.conf`);
    const first = await programState(host, "disposability");
    expect(first.state).toBe("RUNNING");

    // ...and a new release is a fast restart: a new process, RUNNING again
    await release("disposability");
    const second = await programState(host, "disposability");
    expect(second.state).toBe("RUNNING");
    expect(second.pid).not.toBe(first.pid);
    const status = await host.exec(`supervisorctl -c ${SUPERVISORD_CONF} status disposability`);
    expect(status.stdout).toMatch(/RUNNING/);
  });

  it("Dev/Prod parity: the same code, staging and production link different settings", async () => {
    putShared(0, "/srv/www/dev-prod-parity-production", "app/settings/production.py", "DEBUG = False\n");
    putShared(1, "/srv/www/dev-prod-parity-staging", "app/settings/staging.py", "DEBUG = True\n");

    await release("dev-prod-parity");
    const staging = await fap("dev-prod-parity", "release", "-s", "staging", `--repo=${repo.bare}`);
    expect(staging.code, staging.stderr).toBe(0);

    const production = await hostTree(hosts, 0, "/srv/www/dev-prod-parity-production");
    const stagingTree = await hostTree(hosts, 1, "/srv/www/dev-prod-parity-staging");
    expect(readFileSync(production.local("current/REVISION"), "utf8")).toBe(readFileSync(stagingTree.local("current/REVISION"), "utf8"));
    expect(linkOf(0, "/srv/www/dev-prod-parity-production", "app/settings/production.py")).toBe(
      "/srv/www/dev-prod-parity-production/shared/app/settings/production.py",
    );
    expect(linkOf(1, "/srv/www/dev-prod-parity-staging", "app/settings/staging.py")).toBe("/srv/www/dev-prod-parity-staging/shared/app/settings/staging.py");
    expect(existsSync(stagingTree.local("current/app/settings/production.py"))).toBe(false);
    expect(existsSync(production.local("current/app/settings/staging.py"))).toBe(false);
  });

  it("Admin processes: the committed one-off script runs once in `current` with fap once", async () => {
    await release("admin-processes");
    const tree = await hostTree(hosts, 0, "/srv/www/admin-processes");
    const live = await liveRelease(0, "/srv/www/admin-processes");

    const once = await fap("admin-processes", "once", "-s", "production", "-c", "sh scripts/cleanup_sessions.sh");
    expect(once.code, `${once.stdout}\n${once.stderr}`).toBe(0);
    expect(once.stdout).toContain(`host1 | cleaned sessions in ${live}`);
    expect(readFileSync(tree.local("shared/admin.log"), "utf8")).toBe(`cleaned sessions in ${live}\n`);
    // a one-off leaves the releases as they were
    expect((await hostTree(hosts, 0, "/srv/www/admin-processes")).releases).toEqual(tree.releases);
  });
});
