import { readFileSync } from "node:fs";
import { spawn, type ChildProcess } from "node:child_process";
import type { ExecResult } from "@fap/core";
import type { TestHosts } from "../src/index.js";

/** The real OpenSSH client, driven only by the generated config. */
export function sshArgs(hosts: TestHosts, alias: string, command: string, options: string[] = []): string[] {
  return ["-F", hosts.sshConfigPath, "-o", "BatchMode=yes", ...options, alias, command];
}

export function ssh(hosts: TestHosts, alias: string, command: string, options: string[] = []): Promise<ExecResult> {
  return collect(spawn("ssh", sshArgs(hosts, alias, command, options), { stdio: ["ignore", "pipe", "pipe"] }));
}

export function collect(child: ChildProcess): Promise<ExecResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ stdout, stderr, exitCode: code ?? -1 }));
  });
}

/**
 * True while a process with this pid runs. A zombie does not count: once its parent is gone, the
 * machine's init reaps it whenever it gets round to it.
 */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}
