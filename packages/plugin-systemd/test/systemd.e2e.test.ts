import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { checkHostSystemdSupport, hostSystemd, type HostSystemd } from "@fap/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorLines, expectNewProcesses, expectQuietSuccess, gitRepo, hostTree, projectDir, runFap, startTestHosts, type FapRun, type GitRepo, type TestHosts } from "../../../test/harness.js";
import { freePort, httpGet, linkPlugins } from "../../plugin-supervisorctl/test/_fixtures.js";

// A small http.server app deployed with git + systemd to two real hosts, each running its own
// real systemd --user (and journald) in its namespace (@fap/testing's hostSystemd). The unit
// runs the app through `current`; the app answers every request with the revision it runs.
const APP_PY = `import http.server, os, signal, sys
HERE = os.path.dirname(os.path.abspath(__file__))
# ExecReload sends SIGHUP: the process becomes the release current points at now, keeping its pid.
signal.signal(signal.SIGHUP, lambda *_: os.execv(sys.executable, [sys.executable, os.path.abspath(__file__)]))
with open(os.path.join(HERE, "REVISION")) as f:
    REVISION = f.read().strip()
print("shop", REVISION, "listening", flush=True)

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = ((str(os.getpid()) if self.path == "/pid" else "hello from " + REVISION) + "\\n").encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

http.server.HTTPServer(("127.0.0.1", int(os.environ["APP_PORT"])), Handler).serve_forever()
`;

// It starts, then dies reaching for its database; systemd restarts it (Restart=on-failure) in a loop.
const CRASHING_APP_PY = `import time
print("shop starting", flush=True)
time.sleep(0.2)
raise RuntimeError("boom: DATABASE_URL is not set")
`;

function unitFile(port: number, app = "shop"): string {
  return `[Unit]
Description=${app}
# A crash loop without end (no start limit to turn the unit failed): fap has to see it restarting.
StartLimitIntervalSec=0

[Service]
ExecStart=/usr/bin/python3 /srv/www/${app}/current/app.py
Environment=APP_PORT=${port}
ExecReload=/bin/kill -HUP $MAINPID
Restart=on-failure
RestartSec=0.2
`;
}

const unsupported = await checkHostSystemdSupport().then(() => "", (error: Error) => error.message);

let hosts: TestHosts;
let work: string;
let repo: GitRepo;
let dir: string;
const systemds: HostSystemd[] = [];
const ports: number[] = [];
const shas: string[] = [];
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  if (unsupported) return;
  work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-systemd-")));
  repo = gitRepo(work, "shop");
  shas.push(repo.commit({ "app.py": APP_PY }, "one"));
  repo.branch("crash", { "app.py": CRASHING_APP_PY });
  hosts = await startTestHosts({ count: 2 });
  for (const host of hosts.hosts) {
    const port = await freePort();
    ports.push(port);
    systemds.push(await hostSystemd(hosts, host));
    // The manager's HOME is the host's /srv: its ~/.config/systemd/user.
    mkdirSync(host.local("/srv/.config/systemd/user"), { recursive: true });
    writeFileSync(host.local("/srv/.config/systemd/user/shop.service"), unitFile(port));
    writeFileSync(host.local("/srv/.config/systemd/user/firstcrash.service"), unitFile(await freePort(), "firstcrash"));
  }
  const project = await projectDir({
    "deploy.yml": `plugins:
  - git
  - "@fap/plugin-systemd"
repo: ${JSON.stringify(`file://${repo.bare}`)}
branch: main
app_name: shop
path: /srv/www/%(app_name)s
systemd_user: true
systemd_min_uptime: 2
systemd_timeout: 30
stage_role_configs:
  production:
    web:
      hosts: [host1, host2]
`,
  });
  cleanups.push(project.cleanup);
  dir = project.dir;
  linkPlugins(dir, ["plugin-git", "plugin-systemd"]);
}, 60_000);

afterAll(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
  await Promise.all(systemds.map((systemd) => systemd.stop()));
  await hosts?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const fap = (...args: string[]): Promise<FapRun> => runFap(hosts, dir, args);
const deploy = () => fap("run", "deploy", "-s", "production");
const answers = () => Promise.all(ports.map((port) => httpGet(port)));
const pids = () => Promise.all(ports.map((port) => httpGet(port, "/pid")));
const hello = (sha: string) => ports.map(() => `hello from ${sha}\n`);
const currents = () => Promise.all([0, 1].map(async (i) => (await hostTree(hosts, i, "/srv/www/shop")).current));

describe.skipIf(unsupported)("@fap/plugin-systemd: a unit of a real systemd --user on two hosts", () => {
  it("deploys: the unit runs the new release, which answers with its revision", async () => {
    const run = await deploy();
    expectQuietSuccess(run);
    expect(run.stdout).toMatch(/host1 \| shop\.service active \(running\), pid \d+/);
    expect(run.stdout).toMatch(/host2 \| shop\.service active \(running\), pid \d+/);
    expect(await answers()).toEqual(hello(shas[0]!));
  });

  it("deploys again: a new process answers with the new revision", async () => {
    await expectNewProcesses(pids, () => {
      shas.push(repo.commit({ "app.py": `${APP_PY}# two\n` }, "two"));
      return deploy();
    });
    expect(await answers()).toEqual(hello(shas[1]!));
  });

  it("a release that crash-loops fails the deploy with its journal; every host goes back, the unit running the old release", async () => {
    const before = await currents();
    const beforePids = await pids();
    repo.commit({ "app.py": CRASHING_APP_PY }, "needs a database");
    const run = await deploy();
    expect(run.code).toBe(1);
    expect(errorLines(run)[0]).toMatch(/\[fap:systemd\] published: shop\.service does not stay active: shop\.service \w+ \([\w-]+\)/);
    expect(errorLines(run)[0]).toContain("its journal ends with: RuntimeError: boom: DATABASE_URL is not set");
    expect(run.stderr).toContain("hint: see the unit's journal on the host (journalctl --user-unit=shop.service)");
    expect(run.stderr).toContain("every host was switched back to the release it had before");
    expect(run.stdout).toContain("shop.service's journal ends with:");
    expect(run.stdout).toContain("shop starting");
    expect(run.stdout).toMatch(/shop\.service runs release [\w-]+ again/);
    expect(await currents()).toEqual(before);
    expect(await answers()).toEqual(hello(shas[1]!));
    // Restarted: a new process, from the old release.
    (await pids()).forEach((pid, i) => expect(pid).not.toBe(beforePids[i]));
    repo.commit({ "app.py": `${APP_PY}# three\n` }, "no database after all");
  });

  it("rolls back: the unit runs the previous release again", async () => {
    const run = await fap("run", "rollback", "-s", "production");
    expectQuietSuccess(run);
    expect(await answers()).toEqual(hello(shas[0]!));
  });

  it("restarts with fap run restart, and reports with systemd:status", async () => {
    await expectNewProcesses(pids, () => fap("run", "restart", "-s", "production"));
    const status = await fap("run", "systemd:status", "-s", "production");
    expectQuietSuccess(status);
    expect(status.stdout).toMatch(/host2 \| shop\.service active \(running\), pid \d+/);
  });

  it("names a unit the manager does not know in one line, and the old release keeps running", async () => {
    const run = await fap("run", "deploy", "-s", "production", "--set", "systemd_unit=nosuch");
    expect(run.code).not.toBe(0);
    expect(errorLines(run)[0]).toMatch(/\[fap:systemd\] published: systemctl --user restart nosuch\.service failed: nosuch\.service is not-found/);
    expect(run.stderr).toContain("hint: systemd_unit must name a unit of the user's manager");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(await answers()).toEqual(hello(shas[0]!));
  });

  it("fails systemd:status, with the journal, for a unit that is not active; fap run restart starts it again", async () => {
    await systemds[1]!.exec("systemctl --user stop shop");
    const status = await fap("run", "systemd:status", "-s", "production");
    expect(status.code).not.toBe(0);
    expect(errorLines(status)[0]).toMatch(/^error: task systemd:status failed on 1 host: host2 \(systemd:status\): \[fap:systemd\] shop\.service is not active: shop\.service inactive \(dead\)/);
    expect(status.stdout).toMatch(/host1 \| shop\.service active \(running\)/);
    expect(status.stdout).toContain("shop.service's journal ends with:");
    const restart = await fap("run", "restart", "-s", "production");
    expect(restart.code).toBe(0);
    expect(await answers()).toEqual(hello(shas[0]!));
  });

  it("fap doctor finds systemctl and journalctl on every host", async () => {
    const run = await fap("doctor", "-s", "production");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/systemctl is \/\S+systemctl/);
    expect(run.stdout).toMatch(/journalctl is \/\S+journalctl/);
  });

  it("stops the unit when a first deploy crashes: no release is live to run", async () => {
    const run = await fap("run", "deploy", "-s", "production", "--set", "branch=crash", "--set", "app_name=firstcrash");
    expect(run.code).toBe(1);
    expect(errorLines(run)[0]).toContain("firstcrash.service does not stay active");
    expect(run.stdout).toContain("stopped firstcrash.service: no release is live");
    expect((await hostTree(hosts, 0, "/srv/www/firstcrash")).current).toBeUndefined();
    const state = await systemds[0]!.exec("systemctl --user show -p ActiveState --value firstcrash");
    expect(state.stdout).toBe("inactive\n");
  });

  it("reloads with systemd_action: reload: the same process re-executes itself into the new release", async () => {
    const before = await pids();
    shas.push(repo.commit({ "app.py": `${APP_PY}# four\n` }, "four"));
    const run = await fap("run", "deploy", "-s", "production", "--set", "systemd_action=reload");
    expectQuietSuccess(run);
    expect(await answers()).toEqual(hello(shas[2]!));
    expect(await pids()).toEqual(before);
  });
});
