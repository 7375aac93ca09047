import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { FapError } from "@fap/core";
import type { NodeSettings } from "./settings.js";

/** Lines of a failed build's output shown with the error. */
const OUTPUT_LINES = 20;

export interface Built {
  /** The gzipped tar of node_build_output's content. */
  archive: Buffer;
  sha256: string;
  /** As the user wrote it, for messages. */
  output: string;
}

/** Whether the project asks for a build: an explicit node_build_command, or a `build` script. */
export async function wantsBuild(settings: NodeSettings, projectDir: string): Promise<boolean> {
  if (!settings.defaultBuildCommand) return true;
  const file = path.join(projectDir, "package.json");
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) throw new FapError("E_CONFIG", `node_build is local, but ${file} does not exist`, { hint: "run fap in the app's folder, or set node_project_dir" });
  try {
    const scripts = (JSON.parse(text) as { scripts?: Record<string, unknown> }).scripts;
    return typeof scripts?.build === "string";
  } catch (error) {
    throw new FapError("E_CONFIG", `${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Runs node_build_command in the project, then packs node_build_output with the local tar. */
export async function buildLocally(settings: NodeSettings, projectDir: string): Promise<Built> {
  const build = await run("sh", ["-c", settings.buildCommand], projectDir);
  if (build.code !== 0) {
    const lines = build.output.split("\n").filter((line) => line.trim() !== "").slice(-OUTPUT_LINES);
    throw new FapError("E_COMMAND_FAILED", `the local build \`${settings.buildCommand}\` failed (exit ${build.code}): ${lines.at(-1)?.trim() ?? "no output"}`, {
      hint: `run it yourself in ${projectDir} to see why`,
      details: { output: lines.join("\n") },
    });
  }
  const dir = path.join(projectDir, settings.buildOutput);
  if (!(await stat(dir).catch(() => undefined))?.isDirectory()) {
    throw new FapError("E_CONFIG", `the build wrote no ${settings.buildOutput}/ in ${projectDir}`, { hint: "set node_build_output to the folder the build writes" });
  }
  const packed = await run("tar", ["-czf", "-", "-C", dir, "."], projectDir, true);
  if (packed.code !== 0) throw new FapError("E_COMMAND_FAILED", `cannot pack ${dir}: ${packed.output.trim()}`, { hint: "fap packs the build with the local tar" });
  const archive = packed.stdout;
  return { archive, sha256: createHash("sha256").update(archive).digest("hex"), output: settings.buildOutput };
}

interface Ran {
  code: number;
  /** stdout and stderr as text (stderr only when `binary`). */
  output: string;
  stdout: Buffer;
}

function run(command: string, args: string[], cwd: string, binary = false): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const text: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => (binary ? out : text).push(chunk));
    child.stderr.on("data", (chunk: Buffer) => text.push(chunk));
    child.on("error", (error) => reject(new FapError("E_COMMAND_FAILED", `cannot run ${command}: ${error.message}`)));
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output: Buffer.concat(text).toString(), stdout: Buffer.concat(out) }));
  });
}
