import { execFile, spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostTree, startTestHosts, type TestHosts } from "../harness.js";
import { EXAMPLES_DIR, GUIDE_EXAMPLES, startGuideWorld, stopGuideWorld, type GuideWorld } from "../../examples/twelve-factor/test/_guide-examples.js";

/**
 * THE SLOW ONE (about 3 minutes; FAP_SKIP_SLOW=1 skips it). Installing plugins from npm and
 * publishing them, for real: a verdaccio registry on loopback receives every @fap package
 * (`lerna version` + `lerna publish from-package`, from a committed release checkout) and the
 * example third-party plugin (`npm publish`, as its author would). A fresh project then
 * installs @fap/cli, @fap/plugin-git and fap-plugin-healthcheck from it and deploys to real
 * test hosts with `npx fap`; `npm create fap-plugin` scaffolds a plugin whose own test passes.
 * A Python app's folder (only deploy.yml) is deployed by a global fap (`npm install -g
 * --prefix`) and by `npx -p @fap/cli -p @fap/plugin-git fap` (about 40 s of the run together).
 * The same global fap, with the plugins its hint names installed beside it, deploys every
 * example of Fapistrano's guide (examples/twelve-factor) from a folder holding only its
 * deploy.yml, once each, on the same hosts (three, each with its own supervisord).
 *
 * The registry serves our names (@fap/*, create-fap-plugin, fap-plugin-*) only from its own
 * storage and never asks the public registry about them; everything else those packages
 * depend on (commander, ssh2, vitest, ...) it fetches from the npm registry this machine
 * uses, as a company registry does. No mocks: the tarballs npm installs are the ones lerna packed.
 */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = {
  verdaccio: path.join(ROOT, "node_modules/verdaccio/bin/verdaccio"),
  lerna: path.join(ROOT, "node_modules/lerna/dist/cli.js"),
  tsc: path.join(ROOT, "node_modules/typescript/bin/tsc"),
};
const GIT_ENV = {
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "fap release",
  GIT_AUTHOR_EMAIL: "release@fap.invalid",
  GIT_COMMITTER_NAME: "fap release",
  GIT_COMMITTER_EMAIL: "release@fap.invalid",
};
/** What the release bumps to: a minor bump, so that plugins' peer ranges on @fap/core must follow. */
const RELEASE = "0.2.0";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

let work: string;
let registry: string;
let verdaccio: ChildProcess | undefined;
let npmEnv: Record<string, string>;
let hosts: TestHosts;
let app: { url: (p: string) => string; requests: Array<{ path: string; release: string | undefined }>; close: () => Promise<void> };
let repo: string;
let snapshot: string;
let project: string;
let scaffolded: Promise<Run> | undefined;
let guide: GuideWorld;
const timings: Record<string, number> = {};

/** Runs a command; never rejects on a non-zero exit (the test asserts on `code` with the output). */
function run(file: string, args: readonly string[], cwd: string, env: Record<string, string> = npmEnv, timeoutMs = 240_000): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env, maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr), ms: Date.now() - started });
    });
  });
}

const npm = (args: readonly string[], cwd: string, env?: Record<string, string>) => run("npm", args, cwd, env);
const shown = (r: Run) => `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The environment of a person in a shell: none of the npm or vitest variables this test runs under. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /^(npm_|vitest|INIT_CWD$|NODE_OPTIONS$)/i.test(key)) continue;
    env[key] = value;
  }
  return env;
}

async function startRegistry(): Promise<void> {
  const port = await freePort();
  registry = `http://127.0.0.1:${port}/`;
  // The registry this machine's npm uses, asked at run time: no registry is named in this file.
  const upstream = (await run("npm", ["config", "get", "registry"], work, cleanEnv())).stdout.trim();
  if (!/^https?:\/\//.test(upstream)) throw new Error(`npm config get registry gave no registry URL: '${upstream}'`);
  const ours = { access: "$all", publish: "$all", unpublish: "$all" };
  const config = [
    `storage: ${JSON.stringify(path.join(work, "registry/storage"))}`,
    `auth: { htpasswd: { file: ${JSON.stringify(path.join(work, "registry/htpasswd"))}, max_users: -1 } }`,
    `uplinks: { upstream: { url: ${JSON.stringify(upstream)}, timeout: 60s, max_fails: 5 } }`,
    "packages:",
    // Ours are only ever what this test published: never looked up upstream.
    ...["'@fap/*'", "'create-fap-plugin'", "'fap-plugin-*'"].map((name) => `  ${name}: ${JSON.stringify(ours)}`),
    `  '**': ${JSON.stringify({ ...ours, proxy: "upstream" })}`,
    "web: { enable: false }",
    "max_body_size: 100mb",
    "log: { type: stdout, format: pretty, level: warn }",
  ].join("\n");
  mkdirSync(path.join(work, "registry"), { recursive: true });
  writeFileSync(path.join(work, "registry/config.yaml"), `${config}\n`);
  let log = "";
  verdaccio = spawn(process.execPath, [BIN.verdaccio, "--config", path.join(work, "registry/config.yaml"), "--listen", `127.0.0.1:${port}`], {
    env: cleanEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  verdaccio.stdout!.on("data", (chunk) => (log += chunk));
  verdaccio.stderr!.on("data", (chunk) => (log += chunk));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(`${registry}-/ping`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline || verdaccio.exitCode !== null) throw new Error(`verdaccio did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  // npm publish needs some token for the registry; verdaccio lets anyone publish here. The
  // user's own settings (e.g. nodedir for ssh2's native build) are kept, the cache is private.
  const userConfig = process.env.NPM_CONFIG_USERCONFIG ?? process.env.npm_config_userconfig ?? path.join(os.homedir(), ".npmrc");
  const own = existsSync(userConfig) ? readFileSync(userConfig, "utf8") : "";
  const kept = own.split("\n").filter((line) => !/^\s*(registry|\/\/|@[^:]+:registry|_auth|email|always-auth)/.test(line));
  writeFileSync(path.join(work, "npmrc"), [...kept, `registry=${registry}`, `//127.0.0.1:${port}/:_authToken=fap-e2e-placeholder`, ""].join("\n"));
  npmEnv = {
    ...cleanEnv(),
    NPM_CONFIG_USERCONFIG: path.join(work, "npmrc"),
    npm_config_registry: registry,
    npm_config_cache: path.join(work, "npm-cache"),
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    NX_DAEMON: "false",
    NX_NO_CLOUD: "true",
    ...GIT_ENV,
  };
}

async function stopRegistry(): Promise<void> {
  const child = verdaccio;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/**
 * A committed checkout of what a release publishes (packages with their built dist, the
 * example, lerna.json), as CI has it: lerna refuses to publish from a tree with uncommitted
 * changes, and this repository's working tree may have some while people work.
 */
async function releaseCheckout(): Promise<string> {
  const dir = path.join(work, "release");
  const skip = (source: string) => {
    const base = path.basename(source);
    return base !== "node_modules" && base !== ".vite" && !base.endsWith(".tsbuildinfo");
  };
  for (const file of ["package.json", "lerna.json", "tsconfig.base.json", "scripts/sync-core-range.mjs"]) {
    cpSync(path.join(ROOT, file), path.join(dir, file));
  }
  cpSync(path.join(ROOT, "packages"), path.join(dir, "packages"), { recursive: true, filter: skip });
  cpSync(path.join(ROOT, "examples/third-party-plugin"), path.join(dir, "examples/third-party-plugin"), {
    recursive: true,
    filter: (source) => skip(source) && path.basename(source) !== "dist",
  });
  // Tools (lerna, tsc, semver) come from this repository's install.
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  writeFileSync(path.join(dir, ".gitignore"), "node_modules\n.nx\n");
  for (const args of [["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "release checkout"]]) {
    const r = await run("git", args, dir, { ...cleanEnv(), ...GIT_ENV });
    if (r.code !== 0) throw new Error(`git ${args.join(" ")}: ${shown(r)}`);
  }
  return dir;
}

/** The application's repository, as a bare repo every host reaches by path. */
async function makeRepo(): Promise<string> {
  const src = path.join(work, "app-src");
  const bare = path.join(work, "app.git");
  mkdirSync(src);
  writeFileSync(path.join(src, "index.html"), "<h1>shop</h1>\n");
  const steps: Array<[string[], string]> = [
    [["init", "-q", "-b", "main"], src],
    [["add", "-A"], src],
    [["commit", "-q", "-m", "shop"], src],
    [["clone", "-q", "--bare", src, bare], work],
  ];
  for (const [args, cwd] of steps) {
    const r = await run("git", args, cwd, { ...cleanEnv(), ...GIT_ENV });
    if (r.code !== 0) throw new Error(`git ${args.join(" ")}: ${shown(r)}`);
  }
  return bare;
}

/** The app the hosts check: /health answers 200, /down 503; it notes which release asked. */
function startApp(): Promise<typeof app> {
  const requests: Array<{ path: string; release: string | undefined }> = [];
  const server: Server = createHttpServer((req, res) => {
    requests.push({ path: req.url ?? "", release: req.headers["x-fap-release"] as string | undefined });
    res.writeHead(req.url === "/health" ? 200 : 503).end();
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: (p) => `http://127.0.0.1:${port}${p}`, requests, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

function deployYml(): string {
  return `app_name: shop
path: /srv/www/%(app_name)s
plugins:
  - git
  - healthcheck
repo: ${repo}
branch: main
healthcheck_url: ${app.url("/health")}
healthcheck_timeout: 10
stage_role_configs:
  production:
    web:
      hosts: [host1, host2]
`;
}

/** A Python app's deploy folder: no package.json, only deploy.yml in Fapistrano's form. */
function pythonApp(folder: string, appName: string): string {
  const dir = path.join(work, folder);
  mkdirSync(dir);
  writeFileSync(path.join(dir, "deploy.yml"), pythonDeployYml(appName));
  return dir;
}

function pythonDeployYml(appName: string): string {
  return `app_name: ${appName}
path: /srv/www/%(app_name)s
plugins:
  - fapistrano.git
repo: ${repo}
branch: main
stage_role_configs:
  production:
    web:
      hosts: [host1, host2]
`;
}

/** Both hosts run a release of the app's repository at `deployPath`. */
async function expectDeployed(deployPath: string): Promise<void> {
  const sha = (await run("git", ["--git-dir", repo, "rev-parse", "main"], work, { ...cleanEnv(), ...GIT_ENV })).stdout.trim();
  for (const index of [0, 1]) {
    const tree = await hostTree(hosts, index, deployPath);
    expect(tree.current).toBe(`releases/${tree.releases.at(-1)}`);
    expect(readFileSync(tree.local("current/index.html"), "utf8")).toBe("<h1>shop</h1>\n");
    expect(readFileSync(tree.local("current/REVISION"), "utf8").trim()).toBe(sha);
  }
}

const fap = (args: string[]) => run("npx", ["fap", ...args], project, { ...npmEnv, ...hosts.env, NO_COLOR: "1" });

/** Where `npm install -g --prefix` puts fap and its plugins: a global install of one's own. */
const globalPrefix = () => path.join(work, "global");
/** `fap ARGS` in `cwd` as the shell finds it on PATH after the global install. */
const globalFap = (args: readonly string[], cwd: string) =>
  run("fap", args, cwd, { ...npmEnv, ...hosts.env, NO_COLOR: "1", GITHUB_STEP_SUMMARY: "", PATH: `${path.join(globalPrefix(), "bin")}:${process.env.PATH}` });

/** A folder of the guide's example FOLDER outside this repository: its deploy.yml and nothing else. */
function guideFolder(folder: string): string {
  const dir = path.join(work, "guide", folder);
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    cpSync(path.join(EXAMPLES_DIR, folder, "deploy.yml"), path.join(dir, "deploy.yml"));
  }
  return dir;
}

describe.skipIf(process.env.FAP_SKIP_SLOW === "1")("[slow] plugins from a real npm registry: publish, install, deploy, scaffold", () => {
  beforeAll(async () => {
    work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-registry-")));
    // What is published is what is built: build like `npm test` does (fast when up to date).
    const build = await run(process.execPath, [BIN.tsc, "-b"], ROOT, cleanEnv());
    if (build.code !== 0) throw new Error(`the build failed:\n${shown(build)}`);
    [, hosts, app] = await Promise.all([startRegistry(), startTestHosts({ count: 3 }), startApp()]);
    repo = await makeRepo();
    snapshot = await releaseCheckout();
    guide = await startGuideWorld(hosts, work, (folder, args) => globalFap(args, guideFolder(folder)));
  }, 120_000);

  afterAll(async () => {
    await scaffolded?.catch(() => undefined);
    await stopGuideWorld(hosts);
    await Promise.all([stopRegistry(), hosts?.stop(), app?.close()]);
    if (work) rmSync(work, { recursive: true, force: true });
    console.log(`registry e2e timings (ms): ${JSON.stringify(timings)}`);
  });

  it("lerna version bumps every package in lockstep and moves the plugins' @fap/core ranges along", async () => {
    const version = await run(process.execPath, [BIN.lerna, "version", RELEASE, "--yes", "--no-push"], snapshot);
    timings.lernaVersion = version.ms;
    expect(version.code, shown(version)).toBe(0);
    const manifest = (dir: string) => JSON.parse(readFileSync(path.join(snapshot, dir, "package.json"), "utf8"));
    for (const name of ["core", "ssh", "cli", "testing", "plugin-git", "create-fap-plugin"]) {
      expect(manifest(`packages/${name}`).version, name).toBe(RELEASE);
    }
    expect(manifest("packages/cli").dependencies["@fap/core"]).toBe(RELEASE);
    expect(manifest("packages/plugin-git").peerDependencies["@fap/core"]).toBe(`^${RELEASE}`);
    expect(manifest("packages/plugin-git").fap.core).toBe(`^${RELEASE}`);
    expect(manifest("examples/third-party-plugin").peerDependencies["@fap/core"]).toBe(`^${RELEASE}`);
    const log = await run("git", ["log", "-1", "--format=%s %D"], snapshot, { ...cleanEnv(), ...GIT_ENV });
    expect(log.stdout).toContain(`Release v${RELEASE}`);
    expect(log.stdout).toContain(`tag: v${RELEASE}`);
    const status = await run("git", ["status", "--porcelain", "--untracked-files=no"], snapshot, { ...cleanEnv(), ...GIT_ENV });
    expect(status.stdout).toBe("");
  });

  it("lerna publish from-package publishes every @fap package; the plugin's author publishes it with npm", async () => {
    const published = await run(process.execPath, [BIN.lerna, "publish", "from-package", "--registry", registry, "--yes"], snapshot);
    timings.lernaPublish = published.ms;
    expect(published.code, shown(published)).toBe(0);
    expect(published.stdout + published.stderr).toMatch(/Successfully published:[\s\S]*@fap\/cli@0\.2\.0/);

    // npm publish builds it first (prepack), as a third party's package does.
    const example = await npm(["publish"], path.join(snapshot, "examples/third-party-plugin"));
    timings.examplePublish = example.ms;
    expect(example.code, shown(example)).toBe(0);

    for (const name of ["@fap/core", "@fap/ssh", "@fap/cli", "@fap/plugin-git", "@fap/testing", "create-fap-plugin"]) {
      const view = await npm(["view", name, "version"], work);
      expect(view.stdout.trim(), `${name}\n${shown(view)}`).toBe(RELEASE);
    }
    const plugin = await npm(["view", "fap-plugin-healthcheck", "--json"], work);
    expect(JSON.parse(plugin.stdout)).toMatchObject({
      version: "1.0.0",
      keywords: expect.arrayContaining(["fap-plugin"]),
      fap: { core: `^${RELEASE}` },
      peerDependencies: { "@fap/core": `^${RELEASE}` },
    });
  }, 240_000);

  it("a fresh project installs @fap/cli, @fap/plugin-git and fap-plugin-healthcheck from the registry", async () => {
    project = path.join(work, "shop");
    mkdirSync(project);
    writeFileSync(path.join(project, "package.json"), `${JSON.stringify({ name: "shop", private: true, type: "module" }, null, 2)}\n`);
    // The plugin author's install runs meanwhile: both only wait on the network.
    scaffolded = scaffoldAndInstall();
    const install = await npm(["install", "--save-dev", "@fap/cli", "@fap/plugin-git", "fap-plugin-healthcheck"], project);
    timings.projectInstall = install.ms;
    expect(install.code, shown(install)).toBe(0);
    const installed = (name: string) => JSON.parse(readFileSync(path.join(project, "node_modules", name, "package.json"), "utf8")).version;
    expect(installed("@fap/cli")).toBe(RELEASE);
    expect(installed("@fap/core")).toBe(RELEASE);
    expect(installed("fap-plugin-healthcheck")).toBe("1.0.0");
    // One @fap/core for the binary and every plugin: the peer dependency at work.
    const ls = await npm(["ls", "@fap/core", "--all", "--parseable"], project);
    expect(new Set(ls.stdout.trim().split("\n").map((line) => realpathSync(line))).size).toBe(1);
    // What each entry exposes: @fap/cli all deploy.config.ts needs (secret too), @fap/core the
    // plugin-author API only, @fap/core/internal the rest, from the same bundle.
    const probe = `const cli = await import("@fap/cli"), core = await import("@fap/core"), internal = await import("@fap/core/internal");
console.log(JSON.stringify({ secret: typeof cli.secret, defineConfig: typeof cli.defineConfig, coreSession: typeof core.openSession, internalSession: typeof internal.openSession, one: core.FapError === internal.FapError }));`;
    const exposed = await run(process.execPath, ["--input-type=module", "-e", probe], project);
    expect(exposed.code, shown(exposed)).toBe(0);
    expect(JSON.parse(exposed.stdout)).toEqual({ secret: "function", defineConfig: "function", coreSession: "undefined", internalSession: "function", one: true });
  }, 240_000);

  it("npx fap deploys with deploy.yml naming git and healthcheck: both plugins ran on every host", async () => {
    writeFileSync(path.join(project, "deploy.yml"), deployYml());
    const deploy = await fap(["run", "deploy", "-s", "production"]);
    timings.deploy = deploy.ms;
    expect(deploy.code, shown(deploy)).toBe(0);
    const sha = (await run("git", ["--git-dir", repo, "rev-parse", "main"], work, { ...cleanEnv(), ...GIT_ENV })).stdout.trim();
    for (const index of [0, 1]) {
      const tree = await hostTree(hosts, index, "/srv/www/shop");
      const release = tree.releases.at(-1)!;
      expect(tree.current).toBe(`releases/${release}`);
      // git: the release holds the repository's files and the commit it came from.
      expect(readFileSync(tree.local("current/index.html"), "utf8")).toBe("<h1>shop</h1>\n");
      expect(readFileSync(tree.local("current/REVISION"), "utf8").trim()).toBe(sha);
      // healthcheck: each host asked for /health once its new release was live.
      expect(app.requests).toContainEqual({ path: "/health", release });
      expect(tree.log.at(-1)).toMatchObject({ id: release, status: "ok", revision: sha });
    }
    expect(deploy.stdout).toMatch(/host1.*\/health answered 200 after 1 try/);
  }, 60_000);

  it("a failing healthcheck fails the deploy in published, and every host is switched back", async () => {
    const before = await Promise.all([0, 1].map((i) => hostTree(hosts, i, "/srv/www/shop")));
    await new Promise((r) => setTimeout(r, 1000)); // a new release id (second resolution)
    const deploy = await fap(["run", "deploy", "-s", "production", `--healthcheck-url=${app.url("/down")}`, "--healthcheck-timeout=1"]);
    expect(deploy.code, shown(deploy)).toBe(1);
    expect(deploy.stderr).toMatch(/\[fap-plugin-healthcheck\] published: .*\/down did not answer 200 within 1 s \(last answer 503/);
    expect(deploy.stderr).toMatch(/every host was switched back/);
    for (const index of [0, 1]) {
      const after = await hostTree(hosts, index, "/srv/www/shop");
      expect(after.current).toBe(before[index]!.current);
      expect(after.releases).toEqual(before[index]!.releases);
      expect(after.log.at(-1)).toMatchObject({ status: "failed", healthcheck: expect.stringMatching(/^no 200 from .*\/down/) });
    }
  }, 60_000);

  it("deploy.config.ts imports the plugins with typed options; a key of the wrong type does not compile", async () => {
    rmSync(path.join(project, "deploy.yml"));
    const config = (timeout: string) => `import { defineConfig } from "@fap/cli";
import git from "@fap/plugin-git";
import healthcheck from "fap-plugin-healthcheck";

export default defineConfig({
  app_name: "shop",
  path: "/srv/www/%(app_name)s",
  plugins: [git({ repo: ${JSON.stringify(repo)}, branch: "main" }), healthcheck({ url: ${JSON.stringify(app.url("/health"))} })],
  healthcheck_timeout: ${timeout},
  stage_role_configs: { production: { web: { hosts: ["host1", "host2"] } } },
});
`;
    writeFileSync(path.join(project, "deploy.config.ts"), config("10"));
    const deploy = await fap(["run", "deploy", "-s", "production"]);
    expect(deploy.code, shown(deploy)).toBe(0);
    expect(deploy.stdout).toMatch(/host2.*\/health answered 200/);

    // The plugins' module augmentation reaches defineConfig in the user's project.
    const tsconfig = { compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ["deploy.config.ts"] };
    writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify(tsconfig));
    const good = await run(process.execPath, [BIN.tsc, "-p", "tsconfig.json"], project);
    expect(good.code, shown(good)).toBe(0);
    writeFileSync(path.join(project, "deploy.config.ts"), config('"soon"'));
    const bad = await run(process.execPath, [BIN.tsc, "-p", "tsconfig.json"], project);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toMatch(/deploy\.config\.ts\(\d+,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
    writeFileSync(path.join(project, "deploy.config.ts"), config("10"));
  }, 60_000);

  it("refuses a plugin made for another @fap/core major, naming both versions", async () => {
    const dir = path.join(work, "fap-plugin-future");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "index.js"), 'export default () => ({ name: "future", apply() {} });\n');
    writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify({ name: "fap-plugin-future", version: "9.0.0", type: "module", main: "index.js", keywords: ["fap-plugin"], fap: { core: "^9.0.0" } }),
    );
    expect((await npm(["publish"], dir)).code).toBe(0);
    const install = await npm(["install", "--save-dev", "fap-plugin-future"], project);
    expect(install.code, shown(install)).toBe(0);
    rmSync(path.join(project, "deploy.config.ts"));
    writeFileSync(path.join(project, "deploy.yml"), deployYml().replace("  - healthcheck\n", "  - healthcheck\n  - future\n"));
    const deploy = await fap(["run", "deploy", "-s", "production"]);
    expect(deploy.code, shown(deploy)).not.toBe(0);
    expect(deploy.stderr).toContain(
      `error: plugin 'future' (fap-plugin-future@9.0.0) is made for @fap/core ^9.0.0, but this fap runs @fap/core ${RELEASE}`,
    );
    expect(deploy.stderr).toContain("hint: fap-plugin-future needs a newer fap: npm install --save-dev @fap/cli@latest");

    writeFileSync(path.join(project, "deploy.yml"), deployYml().replace("  - healthcheck\n", "  - healthcheck\n  - nothere\n"));
    const missing = await fap(["run", "deploy", "-s", "production"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`error: plugin 'nothere' not found (tried nothere, @fap/plugin-nothere, fap-plugin-nothere from ${project})\n`);
    expect(missing.stderr).toContain("hint: npm install --save-dev fap-plugin-nothere");
  }, 60_000);

  it("a global fap (npm install -g) deploys a Python app's folder holding only deploy.yml; -v and doctor say where git came from", async () => {
    const prefix = globalPrefix();
    const install = await npm(["install", "-g", "--prefix", prefix, "@fap/cli", "@fap/plugin-git"], work);
    timings.globalInstall = install.ms;
    expect(install.code, shown(install)).toBe(0);
    const pyapp = pythonApp("pyapp-global", "pyshop-global");
    const env = { ...npmEnv, ...hosts.env, NO_COLOR: "1", PATH: `${path.join(prefix, "bin")}:${process.env.PATH}` };
    const deploy = await run("fap", ["run", "deploy", "-s", "production", "-v"], pyapp, env);
    timings.globalDeploy = deploy.ms;
    expect(deploy.code, shown(deploy)).toBe(0);
    const besideFap = path.join(prefix, "lib/node_modules/@fap/plugin-git");
    expect(deploy.stdout).toContain(`plugin 'fapistrano.git': @fap/plugin-git@${RELEASE} from fap's own install (global), ${besideFap}/`);
    await expectDeployed("/srv/www/pyshop-global");

    const doctor = await run("fap", ["doctor", "-s", "production"], pyapp, env);
    expect(doctor.code, shown(doctor)).toBe(0);
    expect(doctor.stdout).toContain(`plugin 'fapistrano.git': @fap/plugin-git@${RELEASE} from fap's own install (global)`);

    // The plugin's FapError is fap's FapError (one @fap/core, not the copy npm put inside the
    // global plugin): one clean error line, no stack trace.
    writeFileSync(path.join(pyapp, "deploy.yml"), pythonDeployYml("pyshop-global").replace(/^repo: .*\n/m, ""));
    const noRepo = await run("fap", ["run", "deploy", "-s", "production"], pyapp, env);
    expect(noRepo.code, shown(noRepo)).not.toBe(0);
    expect(noRepo.stderr).toMatch(/^error: .*repo is not set\n/m);
    // A FapError of another core copy would be re-wrapped as a plugin failure, losing its hint.
    expect(noRepo.stderr).toContain("hint: set repo: at the top level of the config");
    expect(noRepo.stderr).not.toMatch(/^\s+at /m);

    // A plugin that is not installed: the hint installs it beside this fap, in its prefix.
    writeFileSync(path.join(pyapp, "deploy.yml"), pythonDeployYml("pyshop-global").replace("  - fapistrano.git\n", "  - fapistrano.git\n  - fapistrano.supervisorctl\n"));
    const missing = await run("fap", ["run", "deploy", "-s", "production"], pyapp, env);
    expect(missing.code, shown(missing)).toBe(2);
    expect(missing.stderr).toContain(`error: plugin 'fapistrano.supervisorctl' not found (tried @fap/plugin-supervisorctl from ${pyapp} and from fap's own install, ${path.join(prefix, "lib/node_modules/@fap")})`);
    expect(missing.stderr).toContain(`hint: npm install -g --prefix ${prefix} @fap/plugin-supervisorctl`);
  }, 120_000);

  it("the hint, followed, installs the guide's other plugins beside the global fap", async () => {
    const prefix = globalPrefix();
    const install = await npm(["install", "-g", "--prefix", prefix, "@fap/plugin-supervisorctl", "@fap/plugin-virtualenv", "@fap/plugin-curl"], work);
    timings.globalPluginInstall = install.ms;
    expect(install.code, shown(install)).toBe(0);
    for (const name of ["supervisorctl", "virtualenv", "curl"]) {
      expect(existsSync(path.join(prefix, "lib/node_modules/@fap", `plugin-${name}`, "package.json")), name).toBe(true);
    }
  }, 120_000);

  // Each example of Fapistrano's guide, deployed once by the global fap from a folder holding
  // only its deploy.yml (no package.json, no node_modules), then what the hosts hold.
  for (const example of GUIDE_EXAMPLES) {
    it(`a global fap deploys the guide's example: ${example.title}`, async () => {
      const started = Date.now();
      await example.deploy(guide);
      expect(readdirSync(guideFolder(example.folder))).toEqual(["deploy.yml"]);
      timings.guideExamples = (timings.guideExamples ?? 0) + Date.now() - started;
    }, 60_000);
  }

  it("npx -p @fap/cli -p @fap/plugin-git fap deploys the same folder; a missing plugin's hint is the npx -p line", async () => {
    const pyapp = pythonApp("pyapp-npx", "pyshop-npx");
    // npm's cache in a folder of its own: npx installs from the registry, as on a fresh CI runner.
    const env = { ...npmEnv, ...hosts.env, NO_COLOR: "1", npm_config_cache: path.join(work, "npx-cache"), npm_config_yes: "true" };
    const npx = (plugins: string[], args: string[]) => run("npx", [...["@fap/cli", ...plugins].flatMap((p) => ["-p", p]), "fap", ...args], pyapp, env);
    const deploy = await npx([`@fap/plugin-git@${RELEASE}`], ["run", "deploy", "-s", "production", "-v"]);
    timings.npxDeploy = deploy.ms;
    expect(deploy.code, shown(deploy)).toBe(0);
    expect(deploy.stdout).toMatch(new RegExp(`plugin 'fapistrano\\.git': @fap/plugin-git@${RELEASE.replace(/\./g, "\\.")} from fap's own install \\(npx\\), .*/_npx/`));
    await expectDeployed("/srv/www/pyshop-npx");

    writeFileSync(path.join(pyapp, "deploy.yml"), pythonDeployYml("pyshop-npx").replace("  - fapistrano.git\n", "  - fapistrano.git\n  - fapistrano.supervisorctl\n"));
    const missing = await npx([`@fap/plugin-git@${RELEASE}`], ["run", "deploy", "-s", "production"]);
    expect(missing.code, shown(missing)).toBe(2);
    expect(missing.stderr).toContain(`hint: npx -p @fap/cli@${RELEASE} -p @fap/plugin-git@${RELEASE} -p @fap/plugin-supervisorctl fap run deploy -s production\n`);
  }, 240_000);

  it("npm create fap-plugin@latest my-thing scaffolds a plugin whose own test passes against test hosts", async () => {
    const result = await scaffolded!;
    expect(result.code, shown(result)).toBe(0);
    expect(result.stdout.replace(/\x1b\[[0-9;]*m/g, "")).toMatch(/Tests\s+4 passed \(4\)/);
    const manifest = JSON.parse(readFileSync(path.join(work, "my-thing/package.json"), "utf8"));
    expect(manifest).toMatchObject({ name: "fap-plugin-my-thing", fap: { core: `^${RELEASE}` } });
    // What its author would publish: the build, and nothing else.
    const build = await npm(["run", "build"], path.join(work, "my-thing"));
    expect(build.code, shown(build)).toBe(0);
    const pack = await npm(["pack", "--dry-run", "--json", "--ignore-scripts"], path.join(work, "my-thing"));
    expect(pack.code, shown(pack)).toBe(0);
    const files = (JSON.parse(pack.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path).sort();
    expect(files).toEqual(["README.md", "dist/index.d.ts", "dist/index.js", "package.json"]);
  }, 240_000);
});

/** `npm create fap-plugin@latest my-thing`, then `npm install` and `npm test` in it, as the author would. */
async function scaffoldAndInstall(): Promise<Run> {
  const steps: Array<[string, string[], string]> = [
    ["create", ["create", "--yes", "fap-plugin@latest", "my-thing"], work],
    ["scaffoldInstall", ["install"], path.join(work, "my-thing")],
    ["scaffoldTest", ["test"], path.join(work, "my-thing")],
  ];
  let last: Run | undefined;
  for (const [name, args, cwd] of steps) {
    last = await npm(args, cwd, { ...npmEnv, NO_COLOR: "1" });
    timings[name] = last.ms;
    if (last.code !== 0) return { ...last, stderr: `npm ${args.join(" ")} failed\n${last.stderr}` };
  }
  return last!;
}
