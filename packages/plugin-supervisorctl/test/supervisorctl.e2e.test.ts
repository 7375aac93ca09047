import { existsSync, mkdtempSync, readlinkSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorLines, expectNewProcesses, expectQuietSuccess, gitRepo, hostTree, projectDir, runFap, startTestHosts, type FapRun, type GitRepo, type TestHosts } from "../../../test/harness.js";
import {
  buildGreetingWheel,
  freePort,
  httpGet,
  linkPlugins,
  programState,
  startSupervisord,
  stopSupervisord,
  SUPERVISOR_DIR,
  SUPERVISORD_CONF,
} from "./_fixtures.js";

// Fapistrano's Flask-like app, as a tiny http.server app: deployed with git + virtualenv +
// supervisorctl to three real hosts, each running its own real supervisord. The app imports a
// package the test built as a wheel and answers every request with the revision it runs.
const APP_PY = `import http.server, os
import greeting

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "REVISION")) as f:
    REVISION = f.read().strip()
SUFFIX = os.environ.get("SUFFIX", "")

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        text = str(os.getpid()) if self.path == "/pid" else greeting.hello(REVISION) + SUFFIX
        body = (text + "\\n").encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

http.server.HTTPServer(("127.0.0.1", int(os.environ["APP_PORT"])), Handler).serve_forever()
`;

const CRASHING_APP_PY = `raise RuntimeError("boom: DATABASE_URL is not set")\n`;

function programConf(name: string, extra = "", python = `/srv/www/${name}/current/venv/bin/python`): string {
  return `[program:${name}]
command=${python} /srv/www/${name}/current/app.py
directory=/srv/www/${name}/current
startsecs=1
startretries=1
stopwaitsecs=5
${extra}`;
}

let hosts: TestHosts;
let work: string;
let wheels: string;
let repo: GitRepo;
const ports: number[] = [];
const shas = { one: "", two: "", refresh: "" };
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-supervisor-")));
  wheels = path.join(work, "wheels");
  buildGreetingWheel(work, wheels, "1.0");
  repo = gitRepo(work, "shop");
  shas.one = repo.commit({
    "app.py": APP_PY,
    "production-requirements.txt": "greeting==1.0\n",
    "configs/supervisor_production_web.conf": programConf("shop"),
    "configs/firstcrash.conf": programConf("firstcrash", "", "/usr/bin/python3"),
  }, "one");
  repo.branch("crash", { "app.py": CRASHING_APP_PY });
  shas.refresh = repo.branch("refresh", { "configs/supervisor_production_web.conf": programConf("shop", `environment=SUFFIX=" (refreshed)"\n`) });
  hosts = await startTestHosts({ count: 2 });
  for (const host of hosts.hosts) {
    const port = await freePort();
    ports.push(port);
    await startSupervisord(host, port);
  }
});

afterAll(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
  if (hosts) await Promise.all(hosts.hosts.map((host) => stopSupervisord(host)));
  await hosts?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Fapistrano's deploy.yml for Dependencies + Disposability, pointed at the test hosts' supervisord. */
async function project(): Promise<string> {
  return projectWith({
    "deploy.yml": `plugins:
  - fapistrano.supervisorctl
  - fapistrano.git
  - fapistrano.virtualenv
repo: ${JSON.stringify(`file://${repo.bare}`)}
branch: main
app_name: shop
path: /srv/www/%(app_name)s
virtualenv_requirements: '%(release_path)s/production-requirements.txt'
virtualenv_pip_options: [--no-index, --find-links, ${JSON.stringify(wheels)}]
virtualenv_pip_config_file: /dev/null
virtualenv_reuse: true
supervisor_check_status: true
supervisor_output: true
supervisor_refresh: false
supervisor_config: ${SUPERVISORD_CONF}
supervisor_target: ${SUPERVISOR_DIR}/conf.d/%(supervisor_program)s.conf
stage_role_configs:
  production:
    web:
      hosts: [host1, host2]
`,
  });
}

async function projectWith(files: Record<string, string>): Promise<string> {
  const p = await projectDir(files);
  cleanups.push(p.cleanup);
  linkPlugins(p.dir, ["plugin-git", "plugin-virtualenv", "plugin-supervisorctl"]);
  return p.dir;
}

let dir: string;
const fap = (...args: string[]): Promise<FapRun> => runFap(hosts, dir, args);

async function answers(): Promise<string[]> {
  return Promise.all(ports.map((port) => httpGet(port)));
}

/** The app's own pid on each host (it tells on /pid). */
async function pids(): Promise<string[]> {
  return Promise.all(ports.map((port) => httpGet(port, "/pid")));
}

/** Where each host's conf link points. */
function confLinks(): string[] {
  return hosts.hosts.map((host) => readlinkSync(host.local(`${SUPERVISOR_DIR}/conf.d/shop.conf`)));
}

describe("@fap/plugin-supervisorctl: Fapistrano's app under real supervisord on two hosts", () => {
  it("deploys: supervisord runs the new release, which answers with its revision", async () => {
    dir = await project();
    const run = await fap("run", "deploy", "-s", "production");
    expectQuietSuccess(run);
    expect(run.stdout).toMatch(/host1 \| shop RUNNING pid \d+, uptime/);
    expect(await answers()).toEqual(ports.map(() => `hello 1.0 from ${shas.one}\n`));
    for (let i = 0; i < 2; i++) {
      const tree = await hostTree(hosts, i, "/srv/www/shop");
      expect(confLinks()[i]).toBe(`/srv/www/shop/releases/${tree.releases.at(-1)}/configs/supervisor_production_web.conf`);
    }
  });

  it("deploys again: the new revision answers, from a new process", async () => {
    shas.two = repo.commit({ "app.py": `${APP_PY}# two\n` }, "two");
    const run = await expectNewProcesses(pids, () => fap("run", "deploy", "-s", "production"));
    expect(run.stdout).toContain("shop: stopped");
    expect(await answers()).toEqual(ports.map(() => `hello 1.0 from ${shas.two}\n`));
  });

  it("rolls back: the old revision answers again, its conf linked", async () => {
    const run = await fap("run", "rollback", "-s", "production");
    expectQuietSuccess(run);
    expect(await answers()).toEqual(ports.map(() => `hello 1.0 from ${shas.one}\n`));
    const tree = await hostTree(hosts, 1, "/srv/www/shop");
    expect(confLinks()[1]).toBe(`/srv/www/shop/${tree.current}/configs/supervisor_production_web.conf`);
  });

  it("stops and reports it with the tasks supervisor:stop and supervisor:status; fap run restart starts it again", async () => {
    const stop = await fap("run", "supervisor:stop", "-s", "production");
    expectQuietSuccess(stop);
    expect(stop.stdout).toMatch(/host1 \| shop: stopped/);
    expect(await answers()).toEqual(ports.map(() => ""));
    const status = await fap("run", "supervisor:status", "-s", "production");
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/host2 \| shop STOPPED/);
    // The restart flow's restarting hook; the task supervisor:restart runs the same function.
    const restart = await fap("run", "restart", "-s", "production");
    expectQuietSuccess(restart);
    expect(restart.stdout).toMatch(/host1 \| shop RUNNING pid \d+/);
    expect(await answers()).toEqual(ports.map(() => `hello 1.0 from ${shas.one}\n`));
  });

  it("fails loudly when the new release crashes on start; current and the running app go back", async () => {
    const before = await Promise.all([0, 1].map((i) => hostTree(hosts, i, "/srv/www/shop")));
    const run = await fap("run", "deploy", "-s", "production", "--branch=crash");
    expect(run.code).toBe(1);
    const [error] = errorLines(run);
    // supervisorctl gives up once supervisord stops retrying: the process is FATAL, or BACKOFF if asked just before.
    expect(error).toMatch(/\[fap:supervisorctl\] published: supervisorctl restart shop failed: shop: ERROR \(spawn error\); shop is (FATAL|BACKOFF) \(Exited too quickly/);
    expect(error).toContain("its log ends with: RuntimeError: boom: DATABASE_URL is not set");
    expect(run.stderr).toContain("every host was switched back to the release it had before");
    expect(run.stdout).toContain("RuntimeError: boom: DATABASE_URL is not set");
    expect(run.stdout).toMatch(/shop runs release [\w-]+ again/);
    for (let i = 0; i < 2; i++) {
      const after = await hostTree(hosts, i, "/srv/www/shop");
      expect(after.current).toBe(before[i]!.current);
      expect(confLinks()[i]).toBe(`/srv/www/shop/${before[i]!.current}/configs/supervisor_production_web.conf`);
    }
    expect(await answers()).toEqual(ports.map(() => `hello 1.0 from ${shas.one}\n`));
  });

  it("refreshes (stop, reread, update, start) so that a changed conf takes effect", async () => {
    const run = await fap("run", "deploy", "-s", "production", "--branch=refresh", "--supervisor-refresh");
    expectQuietSuccess(run);
    expect(run.stdout).toContain("shop: updated process group");
    expect(await answers()).toEqual(ports.map(() => `hello 1.0 from ${shas.refresh} (refreshed)\n`));
  });

  it("prints the commands each host would run with --dry-run, and runs none", async () => {
    const before = await pids();
    const run = await fap("run", "deploy", "-s", "production", "--dry-run");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`ctl() { supervisorctl -c ${SUPERVISORD_CONF} "$@"; }`);
    expect(run.stdout).toContain("out=$(ctl restart shop 2>&1); rc=$?");
    expect(run.stdout).toContain("-m pip install --disable-pip-version-check --no-input --no-index --find-links");
    expect(await pids()).toEqual(before);
  });

  it("stops before building anything when supervisord cannot be reached", async () => {
    const before = await hostTree(hosts, 0, "/srv/www/shop");
    const run = await fap("run", "deploy", "-s", "production", `--supervisor-config=${SUPERVISOR_DIR}/missing.conf`);
    expect(run.code).toBe(1);
    expect(errorLines(run)[0]).toContain(`(started): [fap:supervisorctl] started: cannot reach supervisord with supervisorctl -c ${SUPERVISOR_DIR}/missing.conf`);
    expect((await hostTree(hosts, 0, "/srv/www/shop")).releases).toEqual(before.releases);
  });

  it("stops the program and removes its conf link when a first deploy crashes", async () => {
    // No venv here: the program runs the system python3, and crashes on start anyway.
    const firstcrash = await projectWith({
      "deploy.yml": `plugins: [fapistrano.git, fapistrano.supervisorctl]
repo: ${JSON.stringify(`file://${repo.bare}`)}
branch: crash
app_name: firstcrash
path: /srv/www/%(app_name)s
supervisor_conf: configs/firstcrash.conf
supervisor_check_status: true
supervisor_config: ${SUPERVISORD_CONF}
supervisor_target: ${SUPERVISOR_DIR}/conf.d/%(supervisor_program)s.conf
stage_role_configs:
  production:
    web:
      hosts: [host1]
`,
    });
    const run = await runFap(hosts, firstcrash, ["run", "deploy", "-s", "production"]);
    expect(run.code).toBe(1);
    // supervisord did not know the program: it is added, and starts in the background; the check sees it fail.
    expect(errorLines(run)[0]).toMatch(/firstcrash is not running: firstcrash is (FATAL|BACKOFF) \(Exited too quickly/);
    expect(run.stdout).toContain("stopped firstcrash: no release is live");
    const host = hosts.hosts[0]!;
    expect(existsSync(host.local(`${SUPERVISOR_DIR}/conf.d/firstcrash.conf`))).toBe(false);
    expect((await hostTree(hosts, 0, "/srv/www/firstcrash")).current).toBeUndefined();
    expect((await programState(host, "firstcrash")).state).not.toBe("RUNNING");
  });
});
