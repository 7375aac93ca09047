import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAP_BIN, runFap, type FapRun } from "../harness.js";
import { useTestHosts } from "../three-hosts.js";

// Start-up: what `fap` loads for a command (few files, nothing a command does not use), and a
// deploy connecting to its hosts while its plugins load (docs/performance.md).

const testHosts = useTestHosts(1, { installed: true });
const LOADED_FILES = fileURLToPath(new URL("../fixtures/loaded-files.mjs", import.meta.url));
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "fap-startup-"));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** `fap ARGS` in `cwd`, every file it loaded as a module, and Node's own modules it loaded (`node:<id>`). */
async function loadedBy(cwd: string, args: readonly string[]): Promise<{ run: FapRun; files: string[]; builtins: string[] }> {
  const out = path.join(scratch, `loaded-${Math.random().toString(36).slice(2)}`);
  const run = await new Promise<FapRun>((resolve) => {
    execFile(
      process.execPath,
      ["--import", LOADED_FILES, FAP_BIN, ...args],
      { cwd, env: { ...process.env, ...testHosts.hosts.env, NO_COLOR: "1", FAP_TEST_LOADED: out } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
  const lines = (await readFile(out, "utf8").catch(() => "")).split("\n").filter((f) => f !== "" && f !== LOADED_FILES);
  return { run, files: [...new Set(lines.filter((f) => !f.startsWith("node:")))], builtins: lines.filter((f) => f.startsWith("node:")) };
}

const packageOf = (file: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1] ?? /packages\/([^/]+)\//.exec(file)?.[1];

const config = {
  yml: (host: string, plugins = "[fapistrano.git]") => `app_name: quick
repo: /nowhere.git
path: /srv/www/quick
plugins: ${plugins}
stage_role_configs:
  production:
    web:
      hosts: [${host}]
`,
  ts: (host: string) => `import { defineConfig } from "@fap/core";
import git from "@fap/plugin-git";

export default defineConfig({
  plugins: [git({ repo: "/nowhere.git" })],
  path: "/srv/www/quick",
  stage_role_configs: { production: { web: { hosts: [${JSON.stringify(host)}] } } },
});
`,
};

describe("what fap loads", () => {
  it("fap --version: its bin and nothing else", async () => {
    const { run, files } = await loadedBy(scratch, ["--version"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(files.map((f) => path.basename(f))).toEqual(["fap.js"]);
  });

  it("fap --help: the CLI's one bundle and @fap/core's, without ssh2 or a config loader", async () => {
    const { run, files } = await loadedBy(scratch, ["--help"]);
    expect(run.code, run.stderr).toBe(0);
    // One bundle holds the whole CLI (scripts/bundle.mjs), so its static imports of @fap/core load it too.
    expect(files.map((f) => path.basename(f)).sort(), files.join("\n")).toEqual(["fap-cli.js", "fap-core-public.js", "fap-core.cjs", "fap-core.js", "fap.js"]);
    expect(files.map(packageOf)).not.toEqual(expect.arrayContaining([expect.stringMatching(/^(ssh|ssh2|commander|yaml|jiti|cosmiconfig)$/)]));
  });

  it("a dry run loads few files: fap's own code is one file per package, ssh2's JavaScript rides in @fap/ssh, deploy.yml loads no TypeScript loader", async () => {
    const host = testHosts.hosts.hosts[0]!.alias;
    const ts = await testHosts.project({ "deploy.config.ts": config.ts(host) });
    const yml = await testHosts.project({ "deploy.yml": config.yml(host) });
    for (const [dir, absent] of [
      [ts, /\/node_modules\/yaml\//],
      [yml, /\/node_modules\/jiti\//],
    ] as const) {
      const { run, files, builtins } = await loadedBy(dir, ["run", "deploy", "-s", "production", "--dry-run"]);
      // The git remote does not exist: the dry run gets as far as asking it, which is all this needs.
      expect(run.stderr).toMatch(/nowhere\.git/);
      // Only the commands that ask a question (init, unlock) or read a log line by line (report) load readline.
      expect(builtins.length).toBeGreaterThan(50);
      expect(builtins.filter((id) => id.startsWith("node:readline"))).toEqual([]);
      expect(files.filter((f) => absent.test(f))).toEqual([]);
      // 21 for deploy.yml here: fap's bundles, the plugin's, cosmiconfig's 8 files, ssh2's addon and cpu-features.
      expect(files.length, files.join("\n")).toBeLessThanOrEqual(40);
      // The CLI is one bundle (commander, yaml and semver inside), @fap/core and @fap/ssh one or two each.
      expect(files.filter((f) => /\/packages\/(cli|ssh|core)\/dist\//.test(f)).map((f) => path.basename(f)).sort()).toEqual(
        ["fap-cli.js", "fap-core-public.js", "fap-core.cjs", "fap-core.js", "fap-ssh.cjs", "fap-ssh.js", "fap-ssh2.cjs"],
      );
      // A first-party plugin is one bundle (scripts/bundle.mjs), not its 11 compiled modules.
      expect(files.filter((f) => /\/plugin-git\//.test(f)).map((f) => path.basename(f))).toEqual(["fap-plugin-git.js"]);
      // @fap/core's runtime dependencies ride in its bundle: tapable alone would be 15 files.
      expect(files.filter((f) => /\/node_modules\/(tapable|p-limit|yocto-queue)\//.test(f))).toEqual([]);
      // ssh2's client is @fap/ssh's copy (dist/fap-ssh2.cjs): of ssh2 as installed, only its addon and version.
      expect(files.filter((f) => /\/node_modules\/(ssh2|asn1|bcrypt-pbkdf|tweetnacl|safer-buffer)\//.test(f)).map((f) => f.replace(/^.*\/node_modules\//, "")).sort()).toEqual([
        "ssh2/lib/protocol/crypto/build/Release/sshcrypto.node",
        "ssh2/package.json",
      ]);
    }
  });
});

/** A plugin module that, while it loads, waits for a TCP connection to `port` (up to 2 s) and writes whether it saw one. */
const watchingPlugin = (port: number, seenFile: string, then: string) => `import { appendFileSync, readFileSync } from "node:fs";
const hex = ":" + (${port}).toString(16).toUpperCase().padStart(4, "0");
const connected = () => ["/proc/net/tcp", "/proc/net/tcp6"].some((file) =>
  readFileSync(file, "utf8").split("\\n").some((line) => { const f = line.trim().split(/\\s+/); return f[2]?.endsWith(hex) && f[3] === "01"; }));
let seen = false;
for (const end = Date.now() + 2000; !seen && Date.now() < end; await new Promise((r) => setTimeout(r, 20))) seen = connected();
appendFileSync(${JSON.stringify(seenFile)}, String(seen));
${then}
`;

const WATCH_ONLY = `export default () => ({ name: "test:watch", apply() {} });`;

/**
 * A project whose one plugin, `file`, records whether fap had connected to host1 while the
 * plugin loaded (watchingPlugin, then `then`); `seen()` reads what it recorded.
 */
async function watchedProject(name: string, file: string, then: string) {
  const host = testHosts.hosts.hosts[0]!;
  const seen = path.join(scratch, `seen-${name}`);
  const dir = await testHosts.project({ "deploy.yml": config.yml(host.alias, `[./${file}]`), [file]: watchingPlugin(host.port, seen, then) });
  return { dir, seen: () => readFile(seen, "utf8") };
}

describe("connecting while the plugins load", () => {
  it("a deploy has its connection open before its plugins finish loading", async () => {
    const { dir, seen } = await watchedProject("deploy", "watch.mjs", WATCH_ONLY);
    const run = await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production", "--dry-run"]);
    expect(run.code, run.stderr).toBe(0);
    expect(await seen()).toBe("true");
  });

  it("a plugin that fails to load still ends fap with its one-line error, the early connection closed", async () => {
    const { dir, seen } = await watchedProject("broken", "broken.mjs", `throw new Error("broken on purpose");`);
    const run = await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production"]);
    expect(await seen()).toBe("true");
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: plugin '\.\/broken\.mjs' .*could not be loaded: broken on purpose$/m);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("commands that do not connect to every host open no connection early", async () => {
    const { dir, seen } = await watchedProject("tasks", "watch.mjs", WATCH_ONLY);
    const run = await runFap(testHosts.hosts, dir, ["config", "-s", "production"]);
    expect(run.code, run.stderr).toBe(0);
    expect(await seen()).toBe("false");
  });
});
