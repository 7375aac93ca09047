// Fapistrano's "12 factor deployment" page, one entry per example: what to put on the hosts
// first, the fap commands it runs and what the hosts must hold afterwards. Two tests run them:
// twelve-factor.e2e.test.ts with this repository's fap, and the registry test with fap and its
// plugins installed globally from a registry, in folders holding only the example's deploy.yml.
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { expect } from "vitest";
import { hostTree } from "../../../test/harness.js";
import { programState, SUPERVISORD_CONF } from "../../../packages/plugin-supervisorctl/test/_fixtures.js";
import { cat, expectRevision, linkOf, liveRelease, programConf, putShared, release, releaseWith, type GuideWorld } from "./_guide-world.js";

export { EXAMPLES_DIR, startGuideWorld, stopGuideWorld, type GuideWorld } from "./_guide-world.js";

export interface GuideExample {
  /** The guide's section, and what it shows. */
  title: string;
  /** Its folder under examples/twelve-factor. */
  folder: string;
  /** One deploy of the example as the guide runs it, then what every host must hold. */
  deploy: (world: GuideWorld) => Promise<void>;
  /** What running it again shows (a second release), for the full test of the examples. */
  again?: (world: GuideWorld) => Promise<void>;
}

const codebase: GuideExample = {
  title: "Codebase: one repository, many deploys (production web x2, worker, cron), each with its own conf",
  folder: "codebase",
  async deploy(world) {
    const deployPath = "/srv/www/codebase";
    for (const i of [0, 1]) putShared(world, i, deployPath, "configs/supervisor_production_web.conf", programConf("codebase-web"));
    // worker and cron share host3 and its path, as app-job01 in Fapistrano's example
    putShared(world, 2, deployPath, "configs/supervisor_production_worker.conf", programConf("codebase-worker"));
    putShared(world, 2, deployPath, "configs/supervisor_production_cron.conf", programConf("codebase-cron"));

    const run = await release(world, "codebase", "--json");
    // one release on host3 for both of its roles, and its code exported into it once
    expect((await hostTree(world.hosts, 2, deployPath)).releases).toHaveLength(1);
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
      // the same commit of the one codebase everywhere...
      await expectRevision(world, i, deployPath);
      // ...with this instance's own conf, from shared/, run by this host's supervisord
      expect(linkOf(world, i, deployPath, `configs/supervisor_production_${role}.conf`)).toBe(`${deployPath}/shared/configs/supervisor_production_${role}.conf`);
      expect((await programState(world.hosts.hosts[i]!, `codebase-${role}`)).state).toBe("RUNNING");
    }
  },
};

const dependencies: GuideExample = {
  title: "Dependencies: each release gets its own venv with the requirements installed (Fapistrano's unterminated quote is forgiven)",
  folder: "dependencies",
  async deploy(world) {
    const run = await release(world, "dependencies", `--virtualenv-pip-options=--no-index,--find-links,${world.wheels}`, "--virtualenv-pip-config-file=/dev/null");
    expect(run.stderr).toMatch(/warning: deploy\.yml:\d+: missing closing quote; read to the end of the line/);

    const releaseDir = await liveRelease(world, 0, "/srv/www/dependencies");
    const python = await world.hosts.hosts[0]!.exec(`${releaseDir}/venv/bin/python -c "import greeting; print(greeting.__file__)"`);
    expect(python.exitCode, python.stderr).toBe(0);
    expect(python.stdout.trim().startsWith(`${releaseDir}/venv/`)).toBe(true);
  },
};

const config: GuideExample = {
  title: "Config: the settings file is a symlink into shared/, never a file of the release",
  folder: "config",
  async deploy(world) {
    putShared(world, 0, "/srv/www/config", "app/settings/production.py", 'SECRET_KEY = "from shared/"\n');

    await release(world, "config");

    await expectRevision(world, 0, "/srv/www/config");
    const file = world.hosts.hosts[0]!.local("/srv/www/config/current/app/settings/production.py");
    expect(lstatSync(file).isSymbolicLink()).toBe(true);
    expect(linkOf(world, 0, "/srv/www/config", "app/settings/production.py")).toBe("/srv/www/config/shared/app/settings/production.py");
    expect(await cat(world, 0, "/srv/www/config/current/app/settings/production.py")).toContain("from shared/");
  },
};

const buildReleaseRun: GuideExample = {
  title: "Build, Release, Run: the built tgz is downloaded, extracted and installed; no repository, no build on the host",
  folder: "build-release-run",
  async deploy(world) {
    const build = path.join(world.work, "build");
    mkdirSync(path.join(build, "static"), { recursive: true });
    writeFileSync(path.join(build, "app.py"), 'print("built")\n');
    writeFileSync(path.join(build, "static/app.min.js"), "console.log(1)\n");
    writeFileSync(path.join(build, "install.sh"), '#!/bin/sh\nset -e\necho "installed in $(pwd -P)" > INSTALLED\n', { mode: 0o755 });
    const artifact = path.join(world.work, "app-1.0.0.tgz");
    execFileSync("tar", ["-czf", artifact, "-C", build, "."]);

    const server: Server = createServer((req, res) => {
      if (req.url !== "/builds/app-1.0.0.tgz") return void res.writeHead(404).end();
      res.writeHead(200, { "Content-Type": "application/gzip" }).end(readFileSync(artifact));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      await releaseWith(world, "build-release-run", `--curl-url=http://127.0.0.1:${port}/builds/app-1.0.0.tgz`);
    } finally {
      server.close();
    }

    for (const i of [0, 1]) {
      const releaseDir = await liveRelease(world, i, "/srv/www/build-release-run");
      const tree = await hostTree(world.hosts, i, "/srv/www/build-release-run");
      expect(tree.releases).toHaveLength(1);
      expect(readFileSync(tree.local("current/static/app.min.js"), "utf8")).toBe("console.log(1)\n");
      expect(readFileSync(tree.local("current/INSTALLED"), "utf8").trim()).toBe(`installed in ${releaseDir}`);
      expect(existsSync(tree.local("current/app-1.0.0.tgz"))).toBe(false); // extracted, then removed
      expect(existsSync(tree.local("repo"))).toBe(false); // no git on this path at all
    }
  },
};

const PROCESS_LOGS = ["log/audio-transcoding.log", "log/image-compress.log"];

const processes: GuideExample = {
  title: "Processes: log files are linked into shared/ and outlive the release that wrote them",
  folder: "processes",
  async deploy(world) {
    const deployPath = "/srv/www/processes";
    await release(world, "processes");
    await expectRevision(world, 0, deployPath);
    for (const log of PROCESS_LOGS) expect(linkOf(world, 0, deployPath, log)).toBe(`${deployPath}/shared/${log}`);
    // the app writes its log through the release's link
    const wrote = await world.hosts.hosts[0]!.exec(`echo "transcoded 1.mp3" >> ${deployPath}/current/log/audio-transcoding.log`);
    expect(wrote.exitCode, wrote.stderr).toBe(0);
  },
  async again(world) {
    const deployPath = "/srv/www/processes";
    const first = await hostTree(world.hosts, 0, deployPath);
    await release(world, "processes");
    const second = await hostTree(world.hosts, 0, deployPath);
    expect(second.current).not.toBe(first.current);
    expect(linkOf(world, 0, deployPath, "log/audio-transcoding.log")).toBe(`${deployPath}/shared/log/audio-transcoding.log`);
    expect(await cat(world, 0, `${deployPath}/current/log/audio-transcoding.log`)).toBe("transcoded 1.mp3\n");
    expect(readFileSync(second.local("shared/log/audio-transcoding.log"), "utf8")).toBe("transcoded 1.mp3\n");
  },
};

const concurrency: GuideExample = {
  title: "Concurrency: scaling out is adding hosts; all three get the same release",
  folder: "concurrency",
  async deploy(world) {
    await release(world, "concurrency");
    for (const i of [0, 1, 2]) await expectRevision(world, i, "/srv/www/concurrency");
    // one release id for the whole run, on every host
    const trees = await Promise.all([0, 1, 2].map((i) => hostTree(world.hosts, i, "/srv/www/concurrency")));
    expect(new Set(trees.map((tree) => tree.current)).size).toBe(1);
  },
};

const disposability: GuideExample = {
  title: "Disposability: supervisor restarts the app into the new release and fap waits until it is RUNNING",
  folder: "disposability",
  async deploy(world) {
    const host = world.hosts.hosts[0]!;
    const run = await release(world, "disposability");
    expect(run.stdout).toMatch(/host1 \| disposability RUNNING pid \d+/); // supervisor_output + supervisor_check_status
    const live = await liveRelease(world, 0, "/srv/www/disposability");
    // supervisord includes the live release's conf
    expect(readlinkSync(host.local("/srv/supervisor/conf.d/disposability.conf"))).toBe(`${live}/configs/supervisor_web.conf`);
    expect((await programState(host, "disposability")).state).toBe("RUNNING");
  },
  async again(world) {
    // a new release is a fast restart: a new process, RUNNING again
    const host = world.hosts.hosts[0]!;
    const first = await programState(host, "disposability");
    await release(world, "disposability");
    const second = await programState(host, "disposability");
    expect(second.state).toBe("RUNNING");
    expect(second.pid).not.toBe(first.pid);
    const status = await host.exec(`supervisorctl -c ${SUPERVISORD_CONF} status disposability`);
    expect(status.stdout).toMatch(/RUNNING/);
  },
};

const devProdParity: GuideExample = {
  title: "Dev/Prod parity: the same code, staging and production link different settings",
  folder: "dev-prod-parity",
  async deploy(world) {
    const production = "/srv/www/dev-prod-parity-production";
    const staging = "/srv/www/dev-prod-parity-staging";
    putShared(world, 0, production, "app/settings/production.py", "DEBUG = False\n");
    putShared(world, 1, staging, "app/settings/staging.py", "DEBUG = True\n");

    await release(world, "dev-prod-parity");
    const run = await world.fap("dev-prod-parity", ["release", "-s", "staging", `--repo=${world.repo}`]);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);

    await expectRevision(world, 0, production);
    await expectRevision(world, 1, staging);
    expect(linkOf(world, 0, production, "app/settings/production.py")).toBe(`${production}/shared/app/settings/production.py`);
    expect(linkOf(world, 1, staging, "app/settings/staging.py")).toBe(`${staging}/shared/app/settings/staging.py`);
    const [productionTree, stagingTree] = [await hostTree(world.hosts, 0, production), await hostTree(world.hosts, 1, staging)];
    expect(existsSync(stagingTree.local("current/app/settings/production.py"))).toBe(false);
    expect(existsSync(productionTree.local("current/app/settings/staging.py"))).toBe(false);
  },
};

const adminProcesses: GuideExample = {
  title: "Admin processes: the committed one-off script runs once in `current` with fap once",
  folder: "admin-processes",
  async deploy(world) {
    await release(world, "admin-processes");
    const live = await liveRelease(world, 0, "/srv/www/admin-processes");
    const tree = await hostTree(world.hosts, 0, "/srv/www/admin-processes");

    const once = await world.fap("admin-processes", ["once", "-s", "production", "-c", "sh scripts/cleanup_sessions.sh"]);
    expect(once.code, `${once.stdout}\n${once.stderr}`).toBe(0);
    expect(once.stdout).toContain(`host1 | cleaned sessions in ${live}`);
    expect(readFileSync(tree.local("shared/admin.log"), "utf8")).toBe(`cleaned sessions in ${live}\n`);
    // a one-off leaves the releases as they were
    expect((await hostTree(world.hosts, 0, "/srv/www/admin-processes")).releases).toEqual(tree.releases);
  },
};

/** Every example of the guide that has a deploy.yml, in the guide's order. */
export const GUIDE_EXAMPLES: readonly GuideExample[] = [
  codebase,
  dependencies,
  config,
  buildReleaseRun,
  processes,
  concurrency,
  disposability,
  devProdParity,
  adminProcesses,
];
