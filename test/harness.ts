import { execFile } from "node:child_process";
import { mkdtemp, readlink, readFile, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startTestHosts, type TestHosts } from "@fap/testing";

/** The built `fap` binary, run as a user would run it. */
export const FAP_BIN = fileURLToPath(new URL("../packages/cli/bin/fap.js", import.meta.url));

export interface FapRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `fap ARGS` in `cwd` against the test hosts (their throwaway HOME holds ssh config and keys). */
export function runFap(hosts: TestHosts, cwd: string, args: readonly string[], env: Record<string, string> = {}): Promise<FapRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [FAP_BIN, ...args],
      { cwd, env: { ...process.env, ...hosts.env, NO_COLOR: "1", ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A project directory for one test, removed by the returned `cleanup`. */
export async function projectDir(files: Record<string, string>): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "fap-e2e-"));
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(dir, name), content);
  }
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** What a user checks on a host: where `current` points, which releases exist, the release log. */
export async function hostTree(hosts: TestHosts, index: number, deployPath: string) {
  const host = hosts.hosts[index]!;
  const local = (p: string) => host.local(path.posix.join(deployPath, p));
  const current = await readlink(local("current")).catch(() => undefined);
  const releases = (await readdir(local("releases")).catch(() => [] as string[])).sort();
  const log = (await readFile(local(".fap/releases.log"), "utf8").catch(() => ""))
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { id: string; status: string; [k: string]: unknown });
  return { current, releases, log, local };
}

export { startTestHosts, type TestHosts };
