import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gitRepo, projectDir, runFap, startTestHosts, type FapRun, type TestHosts } from "../../../test/harness.js";

// The repository is served over smart HTTP (git http-backend behind a node server on
// 127.0.0.1) that wants basic auth: the credential is in the repo URL, as `repo: env:...`
// gives it. It must reach git and nothing else: no file on the host, no command line.
const USER = "deployer";
const PASSWORD = "pa55-w0rd-in-url";

let hosts: TestHosts;
let work: string;
let server: http.Server;
let port: number;
let sha: string;
const cleanups: Array<() => Promise<void>> = [];

/** `git http-backend` as CGI, for requests that bring the right basic auth; 401 for others. */
function gitHttpServer(projectRoot: string): http.Server {
  const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`;
  return http.createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="git"' }).end();
      return;
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    const cgi = spawn("git", ["http-backend"], {
      env: {
        PATH: process.env.PATH,
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_CONFIG_GLOBAL: "/dev/null",
        GIT_PROJECT_ROOT: projectRoot,
        GIT_HTTP_EXPORT_ALL: "1",
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? "GET",
        CONTENT_TYPE: req.headers["content-type"] ?? "",
        HTTP_CONTENT_ENCODING: req.headers["content-encoding"] ?? "",
        GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
        REMOTE_USER: USER,
      },
    });
    req.pipe(cgi.stdin);
    const chunks: Buffer[] = [];
    cgi.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    cgi.on("close", () => {
      const out = Buffer.concat(chunks);
      const end = out.indexOf("\r\n\r\n");
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of out.subarray(0, end).toString().split("\r\n")) {
        const [name, ...rest] = line.split(":");
        const value = rest.join(":").trim();
        if (name!.toLowerCase() === "status") status = Number.parseInt(value, 10);
        else headers[name!] = value;
      }
      res.writeHead(status, headers).end(out.subarray(end + 4));
    });
  });
}

beforeAll(async () => {
  work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-git-auth-")));
  sha = gitRepo(work, "app").commit({ "index.html": "<h1>secret app</h1>\n" });
  server = gitHttpServer(work);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  hosts = await startTestHosts({ count: 1 });
});

afterAll(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
  await hosts?.stop();
  await new Promise((resolve) => server?.close(resolve));
  if (work) rmSync(work, { recursive: true, force: true });
});

async function project(branch: string): Promise<string> {
  const p = await projectDir({
    "deploy.yml": `plugins: [fapistrano.git]
repo: env:DEPLOY_REPO_URL
branch: ${branch}
path: /srv/www/app
stage_role_configs:
  production:
    web:
      hosts: [host1]
`,
  }, { plugins: ["plugin-git"] });
  cleanups.push(p.cleanup);
  return p.dir;
}

/** Runs a deploy while reading every process's command line on this machine (the hosts' too), as `ps` would. */
async function deployWatchingArgv(dir: string, url: string): Promise<{ run: FapRun; argvWithPassword: string[]; seen: number }> {
  const argvWithPassword = new Set<string>();
  const seenPids = new Set<string>();
  let done = false;
  const watch = (async () => {
    while (!done) {
      for (const pid of readdirSync("/proc")) {
        if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
        let argv: string;
        try {
          argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
        } catch {
          continue;
        }
        seenPids.add(pid);
        if (argv.includes(PASSWORD)) argvWithPassword.add(argv);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  const run = await runFap(hosts, dir, ["run", "deploy", "-s", "production"], { DEPLOY_REPO_URL: url });
  done = true;
  await watch;
  return { run, argvWithPassword: [...argvWithPassword], seen: seenPids.size };
}

/** Every file under a directory of the host whose content holds `text`. */
function filesHolding(dir: string, text: string): string[] {
  const found: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && readFileSync(full).includes(text)) found.push(full);
    }
  };
  walk(dir);
  return found;
}

describe("a credential in the repo URL", () => {
  it("reaches git only: not in repo/config, in no file of the deploy, on no command line", async () => {
    const url = `http://${USER}:${PASSWORD}@127.0.0.1:${port}/app.git`;
    // The host's own git config (its HOME is its /srv) has a helper that would store the credential.
    writeFileSync(hosts.hosts[0]!.local("/srv/.gitconfig"), "[credential]\n\thelper = store\n");
    // By branch (git ls-remote at the URL), then by sha (fetched into the host's mirror).
    for (const branch of ["main", sha]) {
      const { run, argvWithPassword, seen } = await deployWatchingArgv(await project(branch), url);
      expect(run.code, run.stderr).toBe(0);
      expect(seen).toBeGreaterThan(10);
      expect(argvWithPassword).toEqual([]);
      expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    }
    const host = hosts.hosts[0]!;
    expect(readFileSync(host.local("/srv/www/app/current/index.html"), "utf8")).toBe("<h1>secret app</h1>\n");
    expect(readFileSync(host.local("/srv/www/app/repo/config"), "utf8")).toContain(`url = http://127.0.0.1:${port}/app.git`);
    expect(filesHolding(host.local("/srv/www/app"), PASSWORD)).toEqual([]);
    expect(filesHolding(host.root, PASSWORD)).toEqual([]);
    expect(existsSync(host.local("/srv/.git-credentials"))).toBe(false);
    expect(statSync(host.local("/srv/www/app/repo/config")).isFile()).toBe(true);
  });

  it("takes the credential out of a mirror an older fap left it in, even when no fetch is needed", async () => {
    const url = `http://${USER}:${PASSWORD}@127.0.0.1:${port}/app.git`;
    const host = hosts.hosts[0]!;
    await host.exec(`git -C /srv/www/app/repo config remote.origin.url '${url}'`);
    // By branch: `started` only asks the remote, and the mirror already holds the commit.
    const run = await runFap(hosts, await project("main"), ["run", "deploy", "-s", "production"], { DEPLOY_REPO_URL: url });
    expect(run.code, run.stderr).toBe(0);
    expect(filesHolding(host.local("/srv/www/app"), PASSWORD)).toEqual([]);
  });

  it("fails with git's reason, and no credential shown, when it is wrong", async () => {
    const url = `http://${USER}:wrong-${PASSWORD}@127.0.0.1:${port}/app.git`;
    const run = await runFap(hosts, await project("main"), ["run", "deploy", "-s", "production"], { DEPLOY_REPO_URL: url });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/cannot read http:\/\/127\.0\.0\.1:\d+\/app\.git: fatal: Authentication failed/);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  });
});
