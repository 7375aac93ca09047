import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, symlinkSync } from "node:fs";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { gitRepo, readDeployState, startTestHosts, type GitRepo, type TestHosts } from "@fap/testing";

/** The built `fap` binary, run as a user would run it. */
export const FAP_BIN = fileURLToPath(new URL("../packages/cli/bin/fap.js", import.meta.url));

export interface FapRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Tests run in CI too: fap must not append to that CI job's own summary page. */
const NOT_IN_CI = { GITHUB_STEP_SUMMARY: "" };

/** Runs `fap ARGS` in `cwd` against the test hosts (their throwaway HOME holds ssh config and keys). */
export function runFap(hosts: TestHosts, cwd: string, args: readonly string[], env: Record<string, string> = {}): Promise<FapRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [FAP_BIN, ...args],
      { cwd, env: { ...process.env, ...hosts.env, NO_COLOR: "1", ...NOT_IN_CI, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Starts `fap ARGS` without waiting, for tests that signal it or race two runs. */
export function startFap(hosts: TestHosts, cwd: string, args: readonly string[]): { child: ChildProcess; done: Promise<FapRun>; stdout: () => string; stderr: () => string } {
  const child = spawn(process.execPath, [FAP_BIN, ...args], { cwd, env: { ...process.env, ...hosts.env, NO_COLOR: "1", ...NOT_IN_CI } });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const done = new Promise<FapRun>((resolve) => {
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
  return { child, done, stdout: () => stdout, stderr: () => stderr };
}

/** Resolves once `read()` matches, polling; rejects after `timeoutMs`. */
export async function waitFor(read: () => string, pattern: RegExp, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pattern.test(read())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${pattern} in:\n${read()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A project directory for one test, removed by the returned `cleanup`. `installed`: its
 * node_modules is the monorepo's, as after `npm install @fap/cli` and the plugins. `plugins`:
 * only these first-party plugins are in its node_modules (`["plugin-git"]`), as after
 * `npm install @fap/plugin-git`.
 */
export async function projectDir(
  files: Record<string, string>,
  options: { installed?: boolean; plugins?: readonly string[] } = {},
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "fap-e2e-"));
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(dir, name), content);
  }
  if (options.installed) await symlink(NODE_MODULES, path.join(dir, "node_modules"));
  if (options.plugins) linkPlugins(dir, options.plugins);
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

const NODE_MODULES = fileURLToPath(new URL("../node_modules", import.meta.url));
const PACKAGES = fileURLToPath(new URL("../packages", import.meta.url));

/** Makes `dir` look like a project after `npm install` of these first-party plugins (`plugin-git`, ...). */
export function linkPlugins(dir: string, names: readonly string[]): void {
  mkdirSync(path.join(dir, "node_modules/@fap"), { recursive: true });
  for (const name of names) symlinkSync(path.join(PACKAGES, name), path.join(dir, "node_modules/@fap", name));
}

/** The run succeeded and said nothing on stderr: no error, no warning. */
export function expectQuietSuccess(run: FapRun): void {
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
}

/**
 * Runs `step` (a fap run that should restart the app) and checks it succeeded quietly and that
 * each host's app answers from a new process: `pids` asks each host's app for its process id.
 */
export async function expectNewProcesses(pids: () => Promise<string[]>, step: () => Promise<FapRun>): Promise<FapRun> {
  const before = await pids();
  before.forEach((pid) => expect(pid).toMatch(/^\d+\n?$/));
  const run = await step();
  expectQuietSuccess(run);
  (await pids()).forEach((pid, i) => expect(pid).not.toBe(before[i]));
  return run;
}

/** The run's `error:` lines: fap's one-line errors, without their hints and the warnings. */
export function errorLines(run: Pick<FapRun, "stderr">): string[] {
  return run.stderr.split("\n").filter((line) => line.startsWith("error:"));
}

/**
 * A deploy.yml deploying app `app` to /srv/www/<app> on `hosts` (the text inside `hosts: [...]`)
 * as stage production, role web; `web` adds lines under web:, indented as they go there.
 */
export function deployYml(app: string, hosts: string, web = ""): string {
  return `app_name: ${app}
path: /srv/www/${app}
stage_role_configs:
  production:
    web:
      hosts: [${hosts}]
${web}`;
}

/**
 * What a user checks on a host: where `current` points (as written: `releases/<id>`), which
 * releases exist, the release log (@fap/testing's readDeployState), and a host path's local one.
 */
export async function hostTree(hosts: TestHosts, index: number, deployPath: string) {
  const host = hosts.hosts[index]!;
  const { currentLink, releases, log } = await readDeployState(host, deployPath);
  return { current: currentLink, releases, log, local: (p: string) => host.local(path.posix.join(deployPath, p)) };
}

export { gitRepo, startTestHosts, type GitRepo, type TestHosts };
