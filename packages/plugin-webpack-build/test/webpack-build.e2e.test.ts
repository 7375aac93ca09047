import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorLines, expectQuietSuccess, hostTree, linkPlugins, runFap, startTestHosts, type FapRun, type TestHosts } from "../../../test/harness.js";

// The real `fap` binary, real sshd hosts and a real webpack build of a small project the test
// writes; the project has webpack in its node_modules as a user's would (linked from ours).
const require = createRequire(import.meta.url);
const WEBPACK_DIR = path.dirname(require.resolve("webpack/package.json"));
const WEBPACK_CLI = path.join(path.dirname(require.resolve("webpack-cli/package.json")), "bin/cli.js");
const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" };

// Every build appends its mode to builds.log: how the test counts webpack runs.
const WEBPACK_CONFIG = `const fs = require("node:fs");
const path = require("node:path");
module.exports = (env, argv) => ({
  entry: "./src/index.js",
  output: { path: path.resolve(__dirname, "dist"), filename: "main.js" },
  plugins: [{ apply: (compiler) => compiler.hooks.done.tap("count", () => fs.appendFileSync(path.join(__dirname, "builds.log"), argv.mode + "\\n")) }],
});
`;
const SOURCES = {
  "src/index.js": `import { greet } from "./greet.js";\nconsole.log(greet("fap"));\n`,
  "src/greet.js": "export function greet(name) {\n  return `hello, ${name}`;\n}\n",
};

let hosts: TestHosts;
let work: string;

beforeAll(async () => {
  work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-webpack-")));
  hosts = await startTestHosts({ count: 3 });
});

afterAll(async () => {
  await hosts?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A webpack project as a user has it, with fap's plugins installed. */
function project(name: string, files: Record<string, string>): string {
  const dir = path.join(work, name);
  const all = { "package.json": `{ "name": "${name}", "private": true }\n`, "webpack.config.js": WEBPACK_CONFIG, ...SOURCES, ...files };
  for (const [file, content] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  linkPlugins(dir, ["plugin-webpack-build", "plugin-git"]);
  symlinkSync(WEBPACK_DIR, path.join(dir, "node_modules/webpack"));
  return dir;
}

/** Commits all of `repo` (symlinks as symlinks) and clones it bare to `bare`: the app's git remote. */
function publishRepo(repo: string, bare: string): void {
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", ...args], { cwd: repo, env: GIT_ENV });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", "app");
  execFileSync("git", ["clone", "-q", "--bare", repo, bare], { env: GIT_ENV });
}

function deployYml(app: string, extra = ""): string {
  return `plugins: [webpack-build]
path: /srv/www/${app}
hooks:
  updated: test -f dist/main.js && echo "bundle in place before updated"
${extra}stage_role_configs:
  production:
    web:
      hosts: [host1, host2, host3]
`;
}

function deploy(dir: string, ...args: string[]): Promise<FapRun> {
  return runFap(hosts, dir, ["run", "deploy", "-s", "production", ...args]);
}

function builds(dir: string): string[] {
  const log = path.join(dir, "builds.log");
  return existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
}

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

describe("@fap/plugin-webpack-build against three real hosts", () => {
  it("builds once, locally, and ships the same bundle into the release of every host", async () => {
    const dir = project("site", { "deploy.yml": deployYml("site") });
    const run = await deploy(dir);
    expectQuietSuccess(run);
    expect(builds(dir)).toEqual(["production"]);
    expect(run.stdout).toMatch(/^webpack 5\.\d+\.\d+ built dist\/ in production mode in \d+\.\d\d s; 1 file, \d+ B, packed \d+ B in \d+\.\d\d s \(sha256 [0-9a-f]{12}\)$/m);
    // The build comes before the first phase: no host was touched while webpack ran.
    expect(run.stdout.indexOf("webpack 5.")).toBeLessThan(run.stdout.indexOf("▸ starting"));

    const local = path.join(dir, "dist/main.js");
    const bundles = new Set<string>();
    for (let i = 0; i < hosts.hosts.length; i++) {
      const tree = await hostTree(hosts, i, "/srv/www/site");
      expect(tree.current).toBe(`releases/${tree.releases.at(-1)}`);
      expect(sha256(tree.local("current/dist/main.js"))).toBe(sha256(local));
      expect(execFileSync(process.execPath, [tree.local("current/dist/main.js")], { encoding: "utf8" })).toBe("hello, fap\n");
      bundles.add(String(tree.log.at(-1)?.webpack_bundle));
      expect(run.stdout).toContain(`host${i + 1} | bundle in place before updated`);
    }
    expect(bundles.size).toBe(1);
    expect([...bundles][0]).toMatch(/^[0-9a-f]{64}$/);

    // What `npx webpack --mode production` in the project builds is what the hosts got.
    execFileSync(process.execPath, [WEBPACK_CLI, "--mode", "production"], { cwd: dir, stdio: "pipe" });
    expect(sha256(local)).toBe(sha256(hosts.hosts[0]!.local("/srv/www/site/current/dist/main.js")));
  });

  it("stops on a compile error before any host is touched, with webpack's first error line", async () => {
    const dir = project("broken", { "deploy.yml": deployYml("broken"), "src/greet.js": "export function greet(name) {\n  return `hello, ${name`;\n}\n" });
    const run = await deploy(dir);
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([
      "error: [fap:webpack-build] building: webpack: ./src/greet.js 2:24: Module parse failed: Unterminated template (2:24)",
    ]);
    expect(run.stderr).toContain("hint: fix the build (webpack's output is above); no host was touched");
    expect(run.stdout).toContain("ERROR in ./src/greet.js 2:24");
    expect(run.stdout).not.toContain("▸ starting");
    for (const host of hosts.hosts) expect(existsSync(host.local("/srv/www/broken"))).toBe(false);
  });

  it("lays the bundle over a git checkout at webpack_target, with typed options from deploy.config.ts", async () => {
    const repo = path.join(work, "app-src");
    const bare = path.join(work, "app.git");
    mkdirSync(path.join(repo, "public"), { recursive: true });
    writeFileSync(path.join(repo, "server.py"), "print('serve')\n");
    writeFileSync(path.join(repo, "public/index.html"), "<script src=assets/main.js></script>\n");
    publishRepo(repo, bare);

    const dir = project("typed", {
      "deploy.config.ts": `import git from "@fap/plugin-git";
import webpackBuild from "@fap/plugin-webpack-build";
export default {
  plugins: [git({ repo: ${JSON.stringify(bare)}, branch: "main" }), webpackBuild({ target: "public/assets", mode: "development" })],
  path: "/srv/www/typed",
  stage_role_configs: { production: { web: { hosts: ["host1", "host2", "host3"] } } },
};
`,
    });
    const run = await deploy(dir);
    expectQuietSuccess(run);
    expect(builds(dir)).toEqual(["development"]);
    for (let i = 0; i < hosts.hosts.length; i++) {
      const tree = await hostTree(hosts, i, "/srv/www/typed");
      expect(readFileSync(tree.local("current/server.py"), "utf8")).toBe("print('serve')\n");
      expect(readFileSync(tree.local("current/public/index.html"), "utf8")).toContain("assets/main.js");
      expect(sha256(tree.local("current/public/assets/main.js"))).toBe(sha256(path.join(dir, "dist/main.js")));
      expect(existsSync(tree.local("current/dist"))).toBe(false);
      expect(tree.log.at(-1)).toMatchObject({ status: "ok", revision: expect.stringMatching(/^[0-9a-f]{40}$/), webpack_bundle: expect.any(String) });
    }
  });

  it("refuses a build key the build stage cannot see (--webpack-mode on the command line) before any release is made", async () => {
    const dir = project("cli-mode", { "deploy.yml": deployYml("cli-mode") });
    const run = await deploy(dir, "--webpack-mode=development");
    expect(run.code).toBe(2);
    expect(errorLines(run)).toHaveLength(1);
    expect(errorLines(run)[0]).toContain(
      "[fap:webpack-build] starting: webpack_mode is 'development' for production.web, but webpack runs once, before the hosts are chosen, with 'production'",
    );
    for (const host of hosts.hosts) expect(existsSync(host.local("/srv/www/cli-mode/releases"))).toBe(false);
  });

  it("--dry-run builds nothing and shows the command that would unpack the bundle", async () => {
    const dir = project("dry", { "deploy.yml": deployYml("dry", "webpack_target: static\n") });
    const run = await deploy(dir, "--dry-run");
    expectQuietSuccess(run);
    expect(builds(dir)).toEqual([]);
    expect(existsSync(path.join(dir, "dist"))).toBe(false);
    expect(run.stdout).toMatch(/^webpack 5\.\d+\.\d+ would build dist\/ in production mode \(dry run: nothing is built\)$/m);
    // After the check that no directory down to the target is a symlink (the command's first line).
    expect(run.stdout).toMatch(/^host1 \| {3}mkdir -p \/srv\/www\/dry\/releases\/[\d-]+\/static && tar -xzf - --no-same-owner -C \/srv\/www\/dry\/releases\/[\d-]+\/static$/m);
    for (const host of hosts.hosts) expect(existsSync(host.local("/srv/www/dry"))).toBe(false);
  });
});

describe("@fap/plugin-webpack-build and symlinks in the release", () => {
  it("refuses a webpack_target under a symlink of the checkout, and writes nothing through it", async () => {
    // The outside directory is in each host's private /srv, beside the deploy path.
    for (const host of hosts.hosts) mkdirSync(host.local("/srv/outside-webpack"), { recursive: true });
    const repo = path.join(work, "linked-src");
    const bare = path.join(work, "linked.git");
    mkdirSync(repo, { recursive: true });
    writeFileSync(path.join(repo, "server.py"), "print('serve')\n");
    symlinkSync("/srv/outside-webpack", path.join(repo, "public"));
    publishRepo(repo, bare);
    const dir = project("linked", {
      "deploy.yml": `plugins: [fapistrano.git, webpack-build]
repo: ${bare}
branch: main
webpack_target: public/assets
path: /srv/www/linked
stage_role_configs:
  production:
    web:
      hosts: [host1, host2, host3]
`,
    });
    const run = await deploy(dir);
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toMatch(/: webpack_target 'public\/assets': 'public' in the release is a symlink \(to \/srv\/outside-webpack\); fap will not write through it$/m);
    for (const host of hosts.hosts) expect(readdirSync(host.local("/srv/outside-webpack"))).toEqual([]);
  });
});
