import { spawn } from "node:child_process";
import type { ExecResult } from "@fap/core";

/** Runs a program to completion and collects its output; never rejects for a non-zero exit. */
export function run(file: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], env });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      resolve({
        stdout: Buffer.concat(stdout).toString(),
        stderr: Buffer.concat(stderr).toString(),
        exitCode: code,
        ...(signal ? { signal } : {}),
      });
    });
  });
}

/** Like run(), but a non-zero exit is an error carrying the program's stderr. */
export async function runChecked(file: string, args: readonly string[]): Promise<string> {
  const result = await run(file, args);
  if (result.exitCode !== 0) {
    const detail = result.stderr.trim() || result.stdout.trim();
    throw new Error(`${file} ${args.join(" ")} exited with ${result.exitCode ?? result.signal}${detail ? `: ${detail}` : ""}`);
  }
  return result.stdout;
}
