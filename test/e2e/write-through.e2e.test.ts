import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gitRepo, runFap, type GitRepo } from "../harness.js";
import { useTestHosts } from "../three-hosts.js";

// A release or shared/ holding a symlink to a directory outside the deploy: fap must never
// create, replace or remove anything through it. Each "outside" directory is in the host's
// private /srv (beside /srv/www), so a write that escapes still stays inside the test host.
const env = useTestHosts(1, { installed: true });
let work: string;

beforeAll(() => {
  work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-write-through-")));
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A repository whose one commit holds `files` and the symlinks `links` (path → target). */
function repoWith(name: string, files: Record<string, string>, links: Record<string, string> = {}): GitRepo {
  const repo = gitRepo(work, name);
  for (const [link, target] of Object.entries(links)) {
    mkdirSync(path.dirname(path.join(repo.src, link)), { recursive: true });
    symlinkSync(target, path.join(repo.src, link));
  }
  repo.commit({ "README.md": `${name}\n`, ...files });
  return repo;
}

/** Local path of `remote`, a path on the host (under /srv). */
const local = (remote: string) => env.hosts.hosts[0]!.local(remote);

/** A directory outside the deploy path, holding `files`. */
function outside(name: string, files: Record<string, string> = {}): string {
  const dir = `/srv/outside-${name}`;
  mkdirSync(local(dir), { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(local(`${dir}/${file}`)), { recursive: true });
    writeFileSync(local(`${dir}/${file}`), content);
  }
  return dir;
}

/** Every file under a host directory, with its content. */
function filesUnder(remote: string): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), `${prefix}${entry.name}/`);
      else found[`${prefix}${entry.name}`] = entry.isSymbolicLink() ? "(link)" : readFileSync(path.join(dir, entry.name), "utf8");
    }
  };
  walk(local(remote), "");
  return found;
}

async function deploy(app: string, repo: GitRepo, extra: string, plugins = "fapistrano.git", runEnv: Record<string, string> = {}) {
  const dir = await env.project({
    "deploy.yml": `plugins: [${plugins}]
repo: file://${repo.bare}
path: /srv/www/${app}
${extra}
stage_role_configs:
  production:
    web:
      hosts: [host1]
`,
  });
  return runFap(env.hosts, dir, ["run", "deploy", "-s", "production"], runEnv);
}

describe("fap writes nothing through a symlink", () => {
  it("refuses linked_files and linked_dirs under a symlinked directory of the release, and leaves its target alone", async () => {
    const target = outside("release", { "app.ini": "theirs\n", "data/keep": "theirs\n" });
    const repo = repoWith("linked-in-release", {}, { conf: target });
    const run = await deploy("linked-in-release", repo, "linked_files: [conf/app.ini]\nlinked_dirs: [conf/data]");
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toMatch(
      /host1 \(\w+\): \[[^\]]+\] \w+: linked path 'conf\/data': 'conf' in the release is a symlink \(to \/srv\/outside-release\); fap will not write through it$/m,
    );
    expect(filesUnder(target)).toEqual({ "app.ini": "theirs\n", "data/keep": "theirs\n" });
    expect(existsSync(local("/srv/www/linked-in-release/shared/conf"))).toBe(false);
  });

  it("refuses a linked file whose directory in shared/ is a symlink", async () => {
    const target = outside("shared");
    mkdirSync(local("/srv/www/linked-in-shared/shared"), { recursive: true });
    symlinkSync(target, local("/srv/www/linked-in-shared/shared/conf"));
    const repo = repoWith("linked-in-shared", {});
    const run = await deploy("linked-in-shared", repo, "linked_files: [conf/app.ini]");
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toMatch(/host1 \(\w+\): \[[^\]]+\] \w+: linked path 'conf\/app.ini': 'conf' in shared\/ is a symlink \(to \/srv\/outside-shared\); fap will not write through it$/m);
    expect(filesUnder(target)).toEqual({});
  });

  it("still links a linked dir that is itself a symlink in shared/ (the user's own volume), writing nothing into it", async () => {
    const target = outside("volume", { "keep": "theirs\n" });
    mkdirSync(local("/srv/www/volume/shared"), { recursive: true });
    symlinkSync(target, local("/srv/www/volume/shared/uploads"));
    const repo = repoWith("volume", { "uploads/from-repo": "repo\n" });
    const run = await deploy("volume", repo, "linked_dirs: [uploads]");
    expect(run.code, run.stderr).toBe(0);
    expect(filesUnder(target)).toEqual({ keep: "theirs\n" });
    // The links are absolute paths of the host: read through them there.
    const seen = await env.hosts.hosts[0]!.exec("cat /srv/www/volume/current/uploads/keep");
    expect(seen.stdout).toBe("theirs\n");
  });

  it("writes .env as a new 0600 file, replacing the repository's .env or symlink instead of writing into it", async () => {
    const target = outside("env", { env: "theirs\n" });
    const plain = repoWith("env-file", { ".env": "FROM_REPO=1\n" });
    const linked = repoWith("env-link", {}, { ".env": `${target}/env` });
    const extra = "environment:\n  API_TOKEN: env:FAP_TEST_TOKEN";
    for (const [app, repo] of [["env-file", plain], ["env-link", linked]] as const) {
      const run = await deploy(app, repo, extra, "fapistrano.git", { FAP_TEST_TOKEN: "t0ken" });
      expect(run.code, run.stderr).toBe(0);
      const file = local(`/srv/www/${app}/current/.env`);
      expect(lstatSync(file).isFile()).toBe(true);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, "utf8")).toBe("API_TOKEN=t0ken\n");
    }
    expect(filesUnder(target)).toEqual({ env: "theirs\n" });
  });

  it("refuses a revision_file under a symlinked directory of the release", async () => {
    const target = outside("revision");
    const repo = repoWith("revision", {}, { meta: target });
    const run = await deploy("revision", repo, "revision_file: meta/REVISION");
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toMatch(/host1 \(\w+\): \[[^\]]+\] \w+: revision_file 'meta\/REVISION': 'meta' in the release is a symlink \(to \/srv\/outside-revision\); fap will not write through it$/m);
    expect(filesUnder(target)).toEqual({});
  });
});

describe("plugins write nothing through a symlink of the release", () => {
  it("virtualenv refuses a virtualenv_venv_path under a symlink, instead of removing what it points at", async () => {
    const target = outside("venv", { "venv/keep": "theirs\n" });
    const repo = repoWith("venv", { "requirements.txt": "\n" }, { lib: target });
    const extra = "virtualenv_requirements: requirements.txt\nvirtualenv_venv_path: lib/venv\nvirtualenv_pip_options: [--no-index]";
    const run = await deploy("venv", repo, extra, "fapistrano.git, fapistrano.virtualenv");
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toMatch(/host1 \(\w+\): \[[^\]]+\] \w+: virtualenv_venv_path 'lib\/venv': 'lib' in the release is a symlink \(to \/srv\/outside-venv\); fap will not write through it$/m);
    expect(filesUnder(target)).toEqual({ "venv/keep": "theirs\n" });
  });
});

describe("curl writes nothing through a symlink of the checkout", () => {
  it("refuses a curl_output under a symlink, and replaces a symlink at curl_output", async () => {
    const target = outside("curl", { "app.bin": "theirs\n" });
    const artifact = path.join(work, "artifact.bin");
    writeFileSync(artifact, "artifact\n");
    const repo = repoWith("curl", {}, { build: target, "app.bin": `${target}/app.bin` });
    const plugins = "fapistrano.git, fapistrano.curl";
    const under = await deploy("curl", repo, `curl_url: file://${artifact}\ncurl_output: build/app.bin`, plugins);
    expect(under.code, under.stdout).toBe(2);
    expect(under.stderr).toMatch(/host1 \(\w+\): \[[^\]]+\] \w+: curl_output 'build\/app.bin': 'build' in the release is a symlink \(to \/srv\/outside-curl\); fap will not write through it$/m);
    const at = await deploy("curl", repo, `curl_url: file://${artifact}\ncurl_output: app.bin`, plugins);
    expect(at.code, at.stderr).toBe(0);
    expect(lstatSync(local("/srv/www/curl/current/app.bin")).isFile()).toBe(true);
    expect(filesUnder(target)).toEqual({ "app.bin": "theirs\n" });
  });

  it("lets tar refuse an archive that writes through a symlink it made itself", async () => {
    const target = outside("tar");
    const one = path.join(work, "tar-link");
    const two = path.join(work, "tar-file");
    mkdirSync(one);
    mkdirSync(path.join(two, "conf"), { recursive: true });
    symlinkSync(target, path.join(one, "conf"));
    writeFileSync(path.join(two, "conf/app.ini"), "from the archive\n");
    const archive = path.join(work, "evil.tar");
    execFileSync("tar", ["-cf", archive, "-C", one, "conf", "-C", two, "conf/app.ini"]);
    const dir = await env.project({
      "deploy.yml": `plugins: [fapistrano.curl]
curl_url: file://${archive}
curl_extract_tar: true
path: /srv/www/tar
stage_role_configs:
  production:
    web:
      hosts: [host1]
`,
    });
    const run = await runFap(env.hosts, dir, ["run", "deploy", "-s", "production"]);
    expect(run.code, run.stdout).toBe(1);
    expect(run.stderr).toMatch(/tar: conf\/app\.ini: Cannot open: Not a directory/);
    expect(filesUnder(target)).toEqual({});
  });
});
