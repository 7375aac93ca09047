import { createServer, type Server } from "node:http";
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorLines, expectQuietSuccess, gitRepo, hostTree, projectDir, runFap, startTestHosts, type FapRun, type GitRepo, type TestHosts } from "../../../test/harness.js";
import { buildGreetingWheel, linkPlugins } from "./_fixtures.js";

// The real `fap` binary, real sshd hosts, Debian's virtualenv / python3 -m venv and pip, and
// wheels the test builds itself: nothing comes from the internet or from this machine's pip config.
let hosts: TestHosts;
let work: string;
let wheels: string;
let repo: GitRepo;
const shas = { one: "", v2: "" };
const cleanups: Array<() => Promise<void>> = [];
const timings: string[] = [];

const CHECK_PY = `import os, sys, greeting
here = os.path.dirname(os.path.abspath(__file__))
print(greeting.hello(open(os.path.join(here, "REVISION")).read().strip()))
print(sys.prefix)
`;

beforeAll(async () => {
  work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-venv-")));
  wheels = path.join(work, "wheels");
  buildGreetingWheel(work, wheels, "1.0");
  buildGreetingWheel(work, wheels, "2.0");
  repo = gitRepo(work, "app");
  shas.one = repo.commit({ "production-requirements.txt": "greeting==1.0\n", "check.py": CHECK_PY }, "one");
  repo.branch("broken", { "production-requirements.txt": "greeting==9.9\n" });
  shas.v2 = repo.branch("v2", { "production-requirements.txt": "greeting==2.0\n" });
  hosts = await startTestHosts({ count: 2 });
});

afterAll(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
  await hosts?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
  if (timings.length > 0) console.log(`virtualenv timings (as logged by fap, per host):\n  ${timings.join("\n  ")}`);
});

/** Stage production deploys to both hosts, stage single to host1 only. */
async function project(app: string, extra: Record<string, unknown> = {}): Promise<string> {
  const keys = {
    repo: `file://${repo.bare}`,
    branch: "main",
    path: `/srv/www/${app}`,
    virtualenv_requirements: "%(release_path)s/production-requirements.txt",
    virtualenv_pip_options: ["--no-index", "--find-links", wheels],
    virtualenv_pip_config_file: "/dev/null",
    ...extra,
  };
  const p = await projectDir({
    "deploy.yml": `plugins: [fapistrano.git, fapistrano.virtualenv]
${Object.entries(keys).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join("\n")}
stage_role_configs:
  production:
    web:
      hosts: [host1, host2]
  single:
    web:
      hosts: [host1]
`,
  });
  cleanups.push(p.cleanup);
  linkPlugins(p.dir, ["plugin-git", "plugin-virtualenv"]);
  return p.dir;
}

function deploy(dir: string, ...args: string[]): Promise<FapRun> {
  return runFap(hosts, dir, ["run", "deploy", ...(args.includes("-s") ? [] : ["-s", "production"]), ...args]);
}

/** Runs check.py of the live release with the live release's venv, on host `i`. */
function runCheck(i: number, app: string, venv = "venv") {
  return hosts.hosts[i]!.exec(`cd /srv/www/${app}/current && ./${venv}/bin/python check.py`);
}

/** The "in N s" of the log lines that match `what`. */
function seconds(run: FapRun, what: RegExp): string {
  return run.stdout.split("\n").filter((line) => what.test(line)).map((line) => /in ([\d.]+ s)/.exec(line)?.[1] ?? "?").join(", ");
}

describe("@fap/plugin-virtualenv against real hosts", () => {
  it("creates a venv in the release and installs Fapistrano's production-requirements.txt into it", async () => {
    const dir = await project("app");
    const run = await deploy(dir);
    expectQuietSuccess(run);
    expect(run.stdout).toMatch(
      /created \/srv\/www\/app\/releases\/[\w-]+\/venv with virtualenv and installed \/srv\/www\/app\/releases\/[\w-]+\/production-requirements\.txt in [\d.]+ s/,
    );
    timings.push(`virtualenv + pip install (2 hosts at once): ${seconds(run, /created/)}`);
    for (let i = 0; i < 2; i++) {
      const tree = await hostTree(hosts, i, "/srv/www/app");
      const release = `/srv/www/app/releases/${tree.releases.at(-1)}`;
      const check = await runCheck(i, "app");
      expect(check.stderr).toBe("");
      expect(check.stdout).toBe(`hello 1.0 from ${shas.one}\n${release}/venv\n`);
      // The release's own venv, not one shared between releases.
      expect(readFileSync(tree.local("current/venv/bin/pip"), "utf8").split("\n")[0]).toBe(`#!${release}/venv/bin/python`);
    }
  });

  it("fails the deploy before publishing with pip's error when a requirement cannot be installed", async () => {
    const dir = await project("app");
    const before = await Promise.all([0, 1].map((i) => hostTree(hosts, i, "/srv/www/app")));
    const run = await deploy(dir, "--branch=broken");
    expect(run.code).toBe(1);
    expect(errorLines(run)).toHaveLength(1);
    expect(errorLines(run)[0]).toMatch(
      /(host1, host2|host2, host1) \(updated\): \[fap:virtualenv\] updated: pip install -r \/srv\/www\/app\/releases\/[\w-]+\/production-requirements\.txt failed: ERROR: Could not find a version that satisfies the requirement greeting==9\.9/,
    );
    expect(run.stderr).toContain("no host was switched");
    for (let i = 0; i < 2; i++) {
      const after = await hostTree(hosts, i, "/srv/www/app");
      expect(after.current).toBe(before[i]!.current);
      expect(after.releases).toEqual(before[i]!.releases);
      expect(after.log.at(-1)?.status).toBe("failed");
    }
  });

  it("reuses the live release's venv when the requirements are unchanged, and not when they change", async () => {
    const dir = await project("app", { virtualenv_reuse: true });
    const second = repo.commit({ "check.py": `${CHECK_PY}# two\n` }, "code only");
    const reused = await deploy(dir);
    expectQuietSuccess(reused);
    expect(reused.stdout).toMatch(/reused the venv of release [\w-]+ \(requirements unchanged\) in [\d.]+ s/);
    timings.push(`reused (2 hosts at once): ${seconds(reused, /reused/)}`);

    for (let i = 0; i < 2; i++) {
      const tree = await hostTree(hosts, i, "/srv/www/app");
      const [older, newest] = tree.releases.slice(-2);
      // The copy must not lean on the release it came from: remove that one, as pruning would.
      rmSync(tree.local(`releases/${older}`), { recursive: true, force: true });
      const check = await runCheck(i, "app");
      expect(check.stdout).toBe(`hello 1.0 from ${second}\n/srv/www/app/releases/${newest}/venv\n`);
      expect(readFileSync(tree.local("current/venv/bin/pip"), "utf8").split("\n")[0]).toBe(`#!/srv/www/app/releases/${newest}/venv/bin/python`);
      const pip = await hosts.hosts[i]!.exec("/srv/www/app/current/venv/bin/pip --version");
      expect(pip.stdout).toContain(`/srv/www/app/releases/${newest}/venv/lib/`);
    }

    const changed = await deploy(dir, "--branch=v2");
    expect(changed.code).toBe(0);
    expect(changed.stdout).not.toContain("reused");
    expect(changed.stdout).toContain("created");
    timings.push(`fresh, with reuse on (2 hosts at once): ${seconds(changed, /created/)}`);
    expect((await runCheck(1, "app")).stdout).toContain(`hello 2.0 from ${shas.v2}`);
  });

  it("says which requirements file is missing", async () => {
    const dir = await project("norequirements", { virtualenv_requirements: "requirements/prod.txt" });
    const run = await deploy(dir, "-s", "single");
    expect(run.code).toBe(2);
    expect(errorLines(run)[0]).toMatch(/virtualenv_requirements: \/srv\/www\/norequirements\/releases\/[\w-]+\/requirements\/prod\.txt is not in the release/);
    expect((await hostTree(hosts, 0, "/srv/www/norequirements")).releases).toEqual([]);
  });

  it("creates the venv with virtualenv_executive (python3 -m venv), at a path that no shell ever runs", async () => {
    const canary = path.join(work, "CANARY");
    const venv = `v $(touch ${canary})`;
    const dir = await project("stdlib", { virtualenv_executive: "/usr/bin/python3 -m venv", virtualenv_venv_path: `%(release_path)s/${venv}` });
    const run = await deploy(dir, "-s", "single");
    expectQuietSuccess(run);
    timings.push(`python3 -m venv + pip install (1 host): ${seconds(run, /created/)}`);
    expect(run.stdout).toContain("with /usr/bin/python3 -m venv and installed");
    expect(existsSync(canary)).toBe(false);
    const tree = await hostTree(hosts, 0, "/srv/www/stdlib");
    expect(readFileSync(tree.local(`current/${venv}/pyvenv.cfg`), "utf8")).toContain("command = /usr/bin/python3 -m venv");
    expect((await runCheck(0, "stdlib", `'${venv}'`)).stdout).toContain("hello 1.0 from ");
  });

  it("installs from a private index whose URL holds a password, never showing it", async () => {
    const wheel = readFileSync(path.join(wheels, "greeting-1.0-py3-none-any.whl"));
    const seen: string[] = [];
    const server: Server = createServer((req, res) => {
      const authorized = req.headers.authorization === `Basic ${Buffer.from("fap:s3cr3t").toString("base64")}`;
      seen.push(`${req.url} ${authorized}`);
      if (!authorized) res.writeHead(401, { "WWW-Authenticate": 'Basic realm="test"' }).end();
      else if (req.url === "/simple/greeting/") {
        res.writeHead(200, { "Content-Type": "text/html" }).end(`<a href="/files/greeting-1.0-py3-none-any.whl">greeting-1.0-py3-none-any.whl</a>`);
      } else if (req.url === "/files/greeting-1.0-py3-none-any.whl") res.writeHead(200).end(wheel);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    const { port } = server.address() as { port: number };

    const dir = await project("index", { virtualenv_pip_options: [], virtualenv_pip_index_url: `http://fap:s3cr3t@127.0.0.1:${port}/simple` });
    const run = await deploy(dir, "-s", "single", "--verbose");
    expectQuietSuccess(run);
    expect(run.stdout).toContain("IFS= read -r PIP_INDEX_URL");
    expect(run.stdout).not.toContain("s3cr3t");
    expect(seen).toContain("/files/greeting-1.0-py3-none-any.whl true");
    expect((await runCheck(0, "index")).stdout).toContain("hello 1.0 from");
  });
});
