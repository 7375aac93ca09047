// What the examples of Fapistrano's guide run against (three hosts with a supervisord each, the
// app's repository and its wheel) and the checks they share: see _guide-examples.ts.
import { mkdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { gitRepo, hostTree, type FapRun, type TestHosts } from "../../../test/harness.js";
import { buildGreetingWheel } from "../../../packages/plugin-virtualenv/test/_fixtures.js";
import { startSupervisord, stopSupervisord } from "../../../packages/plugin-supervisorctl/test/_fixtures.js";

/** examples/twelve-factor: one folder per example, each holding its deploy.yml. */
export const EXAMPLES_DIR = fileURLToPath(new URL("..", import.meta.url));

/** A program supervisord can keep up without any app: startsecs=0 makes it RUNNING at once. */
export function programConf(name: string): string {
  return `[program:${name}]\ncommand=/bin/sleep 600\nstartsecs=0\nstopwaitsecs=2\n`;
}

/** The application every git-based example deploys: one repository, as Fapistrano's Codebase says. */
export const SOURCE: Record<string, string> = {
  "README.md": "The twelve-factor example app\n",
  "app/__init__.py": "",
  "app/settings/__init__.py": "",
  "production-requirements.txt": "greeting==1.0\n",
  "configs/supervisor_web.conf": programConf("disposability"),
  "scripts/cleanup_sessions.sh": `#!/bin/sh\nset -e\necho "cleaned sessions in $(pwd -P)" | tee -a "$(pwd -P)/../../shared/admin.log"\n`,
};

/** What the examples run against: three hosts with a supervisord each, the app's repository, its wheel. */
export interface GuideWorld {
  hosts: TestHosts;
  /** The app's bare repository (each example gets it as --repo=...). */
  repo: string;
  /** The commit every git-based release must hold. */
  sha: string;
  /** A folder of wheels pip installs from offline. */
  wheels: string;
  work: string;
  /** Runs fap with ARGS in the example's folder (its deploy.yml), against `hosts`. */
  fap: (folder: string, args: readonly string[]) => Promise<FapRun>;
}

/** Sets up what the examples need on hosts already started (count >= 3), in `work`; undo with stopGuideWorld. */
export async function startGuideWorld(hosts: TestHosts, work: string, fap: GuideWorld["fap"]): Promise<GuideWorld> {
  const wheels = path.join(work, "wheels");
  buildGreetingWheel(work, wheels, "1.0");
  const repo = gitRepo(work, "twelve-factor-app");
  const sha = repo.commit(SOURCE, "the app");
  await Promise.all(hosts.hosts.map((host, i) => startSupervisord(host, 20_000 + i)));
  return { hosts, repo: repo.bare, sha, wheels, work, fap };
}

export async function stopGuideWorld(hosts: TestHosts | undefined): Promise<void> {
  if (hosts) await Promise.all(hosts.hosts.map((host) => stopSupervisord(host)));
}

/** `fap release -s production --repo=<the app's repository> ARGS` in FOLDER, which must succeed. */
export async function release(world: GuideWorld, folder: string, ...args: string[]): Promise<FapRun> {
  return releaseWith(world, folder, `--repo=${world.repo}`, ...args);
}

export async function releaseWith(world: GuideWorld, folder: string, ...args: string[]): Promise<FapRun> {
  const run = await world.fap(folder, ["release", "-s", "production", ...args]);
  expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
  return run;
}

/** Writes FILE into a host's shared/ before the first deploy, as an operator would. */
export function putShared(world: GuideWorld, hostIndex: number, deployPath: string, file: string, content: string): void {
  const local = world.hosts.hosts[hostIndex]!.local(path.posix.join(deployPath, "shared", file));
  mkdirSync(path.dirname(local), { recursive: true });
  writeFileSync(local, content);
}

/** Where `current/FILE` on a host links to, as the host sees it. */
export function linkOf(world: GuideWorld, hostIndex: number, deployPath: string, file: string): string {
  return readlinkSync(world.hosts.hosts[hostIndex]!.local(path.posix.join(deployPath, "current", file)));
}

/** A file's content as the host reads it (following its absolute /srv symlinks). */
export async function cat(world: GuideWorld, hostIndex: number, remotePath: string): Promise<string> {
  const run = await world.hosts.hosts[hostIndex]!.exec(`cat '${remotePath}'`);
  if (run.exitCode !== 0) throw new Error(`cat ${remotePath}: ${run.stderr}`);
  return run.stdout;
}

/** The live release's directory on a host, checked to be a release of the app's commit. */
export async function liveRelease(world: GuideWorld, hostIndex: number, deployPath: string): Promise<string> {
  const tree = await hostTree(world.hosts, hostIndex, deployPath);
  expect(tree.current, `host${hostIndex + 1}:${deployPath}`).toBe(`releases/${tree.releases.at(-1)}`);
  expect(tree.log.at(-1)?.status).toBe("ok");
  return path.posix.join(deployPath, tree.current!);
}

export async function expectRevision(world: GuideWorld, hostIndex: number, deployPath: string): Promise<void> {
  await liveRelease(world, hostIndex, deployPath);
  const tree = await hostTree(world.hosts, hostIndex, deployPath);
  expect(readFileSync(tree.local("current/REVISION"), "utf8").trim()).toBe(world.sha);
  expect(readFileSync(tree.local("current/README.md"), "utf8")).toBe(SOURCE["README.md"]);
}

