import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorLines, expectQuietSuccess, hostTree, projectDir, runFap, startTestHosts, type FapRun, type TestHosts } from "../../../test/harness.js";

// The real `fap` binary, real sshd hosts, and a real HTTP server in this process: the hosts
// share the machine's network, so their curl reaches it at 127.0.0.1:PORT.
const USER = "deploy";
const PASSWORD = "s3cr3t-pa55";
const CREDENTIALS = `${USER}:${PASSWORD}`;
const BASIC = Buffer.from(CREDENTIALS).toString("base64");

let hosts: TestHosts;
let work: string;
let server: http.Server;
let base: string;
const requests: Array<{ path: string; authorization: string | undefined }> = [];
const cleanups: Array<() => Promise<void>> = [];

/** Fapistrano's artifact: the app's files and an install.sh that leaves a marker where it ran. */
function buildArtifacts(): Record<string, Buffer> {
  const dir = path.join(work, "artifact");
  mkdirSync(path.join(dir, "app"), { recursive: true });
  writeFileSync(path.join(dir, "VERSION"), "1.4.2\n");
  writeFileSync(path.join(dir, "app/main.py"), "print('hello')\n");
  writeFileSync(path.join(dir, "install.sh"), "#!/bin/sh\nset -e\npwd > INSTALLED\necho \"install.sh ran in $(pwd)\"\n");
  chmodSync(path.join(dir, "install.sh"), 0o755);
  const failing = path.join(work, "failing");
  mkdirSync(failing);
  writeFileSync(path.join(failing, "install.sh"), "#!/bin/sh\necho 'missing libfoo' >&2\nexit 3\n");
  chmodSync(path.join(failing, "install.sh"), 0o755);
  execFileSync("tar", ["-czf", path.join(work, "app.tgz"), "-C", dir, "."]);
  execFileSync("tar", ["-cf", path.join(work, "app.tar"), "-C", dir, "."]);
  execFileSync("tar", ["-czf", path.join(work, "failing.tgz"), "-C", failing, "."]);
  // A script that reports its failure on stdout only, as many install scripts do.
  const stdoutOnly = path.join(work, "stdout-only");
  mkdirSync(stdoutOnly);
  writeFileSync(path.join(stdoutOnly, "install.sh"), "#!/bin/sh\necho 'installing'\necho 'no wheel for libbar'\nexit 4\n");
  chmodSync(path.join(stdoutOnly, "install.sh"), 0o755);
  execFileSync("tar", ["-czf", path.join(work, "stdout-only.tgz"), "-C", stdoutOnly, "."]);
  return {
    "/builds/app-1.4.2.tgz": readFileSync(path.join(work, "app.tgz")),
    "/builds/app-1.4.2.tar": readFileSync(path.join(work, "app.tar")),
    "/builds/failing.tgz": readFileSync(path.join(work, "failing.tgz")),
    "/builds/stdout-only.tgz": readFileSync(path.join(work, "stdout-only.tgz")),
  };
}

beforeAll(async () => {
  work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-curl-")));
  const files = buildArtifacts();
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    requests.push({ path: url.pathname, authorization: req.headers.authorization });
    if (url.pathname === "/latest.tgz") {
      res.writeHead(302, { location: "/builds/app-1.4.2.tgz" }).end();
      return;
    }
    const privatePath = url.pathname.startsWith("/private/");
    if (privatePath && req.headers.authorization !== `Basic ${BASIC}`) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="artifacts"' }).end("who are you?\n");
      return;
    }
    const body = files[privatePath ? url.pathname.replace("/private", "/builds") : url.pathname];
    if (body === undefined) res.writeHead(404).end("not found\n");
    else res.writeHead(200, { "content-type": "application/octet-stream" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  hosts = await startTestHosts({ count: 3 });
});

afterAll(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
  await hosts?.stop();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A project as a user has it after `npm install @fap/plugin-curl`. */
async function project(files: Record<string, string>): Promise<string> {
  const p = await projectDir(files, { plugins: ["plugin-curl"] });
  cleanups.push(p.cleanup);
  return p.dir;
}

/** Fapistrano's deploy.yml for an artifact; the URL comes from the command line unless given. */
function deployYml(app: string, extra: Record<string, string | boolean> = {}): string {
  const values = { path: `/srv/www/${app}`, curl_extract_tgz: true, curl_postinstall_script: "./install.sh", ...extra };
  return `plugins:
  - fapistrano.curl
${Object.entries(values).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join("\n")}
stage_role_configs:
  production:
    web:
      hosts: [host1, host2, host3]
`;
}

function deploy(dir: string, ...args: string[]): Promise<FapRun> {
  return runFap(hosts, dir, ["run", "deploy", "-s", "production", ...args]);
}

function requestsTo(pathname: string): number {
  return requests.filter((r) => r.path === pathname).length;
}

/** On every host: `current` is the newest release, holding the artifact's files, installed there, the archive gone. */
async function expectInstalled(app: string, archive = "app-1.4.2.tgz"): Promise<void> {
  for (let i = 0; i < hosts.hosts.length; i++) {
    const tree = await hostTree(hosts, i, `/srv/www/${app}`);
    const newest = tree.releases.at(-1);
    expect(tree.current).toBe(`releases/${newest}`);
    expect(readFileSync(tree.local("current/VERSION"), "utf8")).toBe("1.4.2\n");
    expect(readFileSync(tree.local("current/app/main.py"), "utf8")).toBe("print('hello')\n");
    expect(readFileSync(tree.local("current/INSTALLED"), "utf8")).toBe(`/srv/www/${app}/releases/${newest}\n`);
    expect(existsSync(tree.local(`current/${archive}`))).toBe(false);
    expect(tree.log.at(-1)).toMatchObject({ id: newest, status: "ok" });
  }
}

describe("@fap/plugin-curl against three real hosts and a local HTTP server", () => {
  it("downloads the artifact named by --curl-url on every host, extracts it and runs install.sh in the release", async () => {
    const dir = await project({ "deploy.yml": deployYml("seed") });
    const before = requestsTo("/builds/app-1.4.2.tgz");
    const run = await deploy(dir, `--curl-url=${base}/builds/app-1.4.2.tgz`);
    expectQuietSuccess(run);
    await expectInstalled("seed");
    expect(requestsTo("/builds/app-1.4.2.tgz") - before).toBe(3);
    for (const host of ["host1", "host2", "host3"]) {
      expect(run.stdout).toMatch(new RegExp(`^${host} \\| install\\.sh ran in /srv/www/seed/releases/`, "m"));
      expect(run.stdout).toContain(`${host} | downloaded ${base}/builds/app-1.4.2.tgz and extracted it`);
    }
    expect((await hostTree(hosts, 0, "/srv/www/seed")).log.at(-1)).toMatchObject({ artifact: `${base}/builds/app-1.4.2.tgz` });
  });

  it("follows redirects, extracts a plain tar, and hides install.sh's output when curl_postinstall_output is false", async () => {
    const dir = await project({
      "deploy.yml": deployYml("quiet", { curl_url: `${base}/builds/app-1.4.2.tar`, curl_extract_tgz: false, curl_extract_tar: true, curl_postinstall_output: false }),
    });
    const run = await deploy(dir);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain("install.sh ran");
    await expectInstalled("quiet", "app-1.4.2.tar");

    const redirected = await deploy(dir, `--curl-url=${base}/latest.tgz`, "--curl-extract-tar=false", "--curl-extract-tgz");
    expectQuietSuccess(redirected);
    await expectInstalled("quiet", "latest.tgz");
  });

  it("keeps an artifact that is no archive as curl_output", async () => {
    const dir = await project({
      "deploy.yml": deployYml("file", { curl_url: `${base}/builds/app-1.4.2.tgz`, curl_extract_tgz: false, curl_output: "dist/app.bin", curl_postinstall_script: "" }),
    });
    const run = await deploy(dir);
    expect(run.code).toBe(0);
    const local = hosts.hosts[2]!.local("/srv/www/file/current/dist/app.bin");
    expect(readFileSync(local).equals(readFileSync(path.join(work, "app.tgz")))).toBe(true);
  });

  it("sends curl_user to curl on stdin: the download works, and the password shows nowhere, even with -v", async () => {
    const dir = await project({ "deploy.yml": deployYml("private") });
    const url = `${base}/private/app-1.4.2.tgz`;
    const run = await deploy(dir, `--curl-url=${url}`, `--curl-user=${CREDENTIALS}`, "-v");
    expectQuietSuccess(run);
    await expectInstalled("private");
    expect(requests.filter((r) => r.path === "/private/app-1.4.2.tgz" && r.authorization === `Basic ${BASIC}`)).toHaveLength(3);
    // -v shows the commands: curl reads its config from stdin, and the URL is as given.
    expect(run.stdout).toContain(`--config - --output app-1.4.2.tgz --url ${url}`);
    for (const text of [run.stdout, run.stderr]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(BASIC);
    }

    // Credentials written into the URL are moved to stdin the same way.
    const inUrl = await deploy(dir, `--curl-url=http://${CREDENTIALS}@${url.slice("http://".length)}`, "-v");
    expect(inUrl.code).toBe(0);
    expect(inUrl.stdout).toContain(`--url ${url}`);
    expect(inUrl.stdout + inUrl.stderr).not.toContain(PASSWORD);
  });

  it("says HTTP 401 when the server refuses curl_user, without showing it", async () => {
    const dir = await project({ "deploy.yml": deployYml("refused") });
    const wrong = `${USER}:not-the-${PASSWORD}`;
    const run = await deploy(dir, `--curl-url=${base}/private/app-1.4.2.tgz`, `--curl-user=${wrong}`, "-v");
    expect(run.code).toBe(1);
    expect(errorLines(run)).toHaveLength(1);
    // Hosts are listed in the order they failed.
    expect(errorLines(run)[0]).toMatch(/^error: deploy failed on 3 hosts: host\d, host\d, host\d \(updating\): /);
    expect(errorLines(run)[0]).toContain(`[fap:curl] updating: cannot download ${base}/private/app-1.4.2.tgz: HTTP 401`);
    expect(run.stderr).toContain("hint: the server refused curl_user");
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    expect((await hostTree(hosts, 0, "/srv/www/refused")).current).toBeUndefined();
  });

  it("stops on HTTP 404 naming the URL and the status: no host moves current, the new release is removed", async () => {
    const dir = await project({ "deploy.yml": deployYml("missing", { curl_url: `${base}/builds/app-1.4.2.tgz` }) });
    expect((await deploy(dir)).code).toBe(0);
    const before = await Promise.all(hosts.hosts.map((_, i) => hostTree(hosts, i, "/srv/www/missing")));

    const run = await deploy(dir, `--curl-url=${base}/builds/app-9.9.9.tgz`);
    expect(run.code).toBe(1);
    expect(errorLines(run)).toHaveLength(1);
    expect(errorLines(run)[0]).toContain(`(updating): [fap:curl] updating: cannot download ${base}/builds/app-9.9.9.tgz: HTTP 404`);
    expect(run.stderr).toContain("hint: nothing is at that URL: check curl_url (--curl-url=...)");
    for (let i = 0; i < hosts.hosts.length; i++) {
      const after = await hostTree(hosts, i, "/srv/www/missing");
      expect(after.current).toBe(before[i]!.current);
      expect(after.releases).toEqual(before[i]!.releases);
      expect(after.log.at(-1)?.status).toBe("failed");
    }
  });

  it("stops when install.sh fails, with its exit code and last line", async () => {
    const dir = await project({ "deploy.yml": deployYml("broken", { curl_url: `${base}/builds/failing.tgz` }) });
    const run = await deploy(dir);
    expect(run.code).toBe(1);
    expect(errorLines(run)[0]).toContain("[fap:curl] updating: curl_postinstall_script './install.sh' exited with 3: missing libfoo");
    expect((await hostTree(hosts, 1, "/srv/www/broken")).current).toBeUndefined();
  });

  it("quotes the last line of install.sh's stdout when it wrote nothing to stderr", async () => {
    const dir = await project({ "deploy.yml": deployYml("stdout-only", { curl_url: `${base}/builds/stdout-only.tgz`, curl_postinstall_output: false }) });
    const run = await deploy(dir);
    expect(run.code).toBe(1);
    expect(errorLines(run)[0]).toContain("[fap:curl] updating: curl_postinstall_script './install.sh' exited with 4: no wheel for libbar");
  });

  it("refuses a deploy without curl_url before any host is touched", async () => {
    const dir = await project({ "deploy.yml": deployYml("no-url") });
    const run = await deploy(dir);
    expect(run.code).toBe(2);
    expect(errorLines(run)).toHaveLength(1);
    expect(errorLines(run)[0]).toContain("[fap:curl] starting: curl_url is not set");
    expect(run.stderr).toContain("hint: pass the artifact's URL: fap run deploy -s STAGE --curl-url=");
    for (let i = 0; i < hosts.hosts.length; i++) {
      expect(existsSync(hosts.hosts[i]!.local("/srv/www/no-url/releases"))).toBe(false);
    }
  });

  it("takes typed options from deploy.config.ts, a secret user included", async () => {
    const dir = await project({
      "deploy.config.ts": `import curl from "@fap/plugin-curl";
export default {
  plugins: [curl({ url: ${JSON.stringify(`${base}/private/app-1.4.2.tgz`)}, user: process.env.ARTIFACT_AUTH, extractTgz: true, postinstallScript: "./install.sh" })],
  path: "/srv/www/typed",
  stage_role_configs: { production: { web: { hosts: ["host1", "host2", "host3"] } } },
};
`,
    });
    const run = await runFap(hosts, dir, ["run", "deploy", "-s", "production", "-v"], { ARTIFACT_AUTH: CREDENTIALS });
    expectQuietSuccess(run);
    await expectInstalled("typed");
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  });
});
