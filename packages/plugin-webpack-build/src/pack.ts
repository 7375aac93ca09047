import { createHash } from "node:crypto";
import { readdir, stat } from "node:fs/promises";
import { execa } from "execa";
import { FapError } from "@fap/core";

export interface Bundle {
  /** The gzipped tar of the directory's content (paths start with ./). */
  archive: Buffer;
  /** sha256 of `archive`, hex: recorded in each host's release log. */
  sha256: string;
  files: number;
  /** Bytes of the files before packing. */
  bytes: number;
}

/** Packs `dir` with the local tar, in memory: the same bytes go to every host. */
export async function pack(dir: string): Promise<Bundle> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new FapError("E_CONFIG", `nothing to ship: ${dir} is not a directory after the build`, {
      hint: "set webpack_output: to the directory webpack writes (its output.path)",
    });
  }
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile());
  if (files.length === 0) {
    throw new FapError("E_CONFIG", `nothing to ship: ${dir} is empty after the build`, { hint: "set webpack_output: to the directory webpack writes" });
  }
  const sizes = await Promise.all(files.map((entry) => stat(`${entry.parentPath ?? entry.path}/${entry.name}`).then((s) => s.size)));
  const result = await execa("tar", ["-czf", "-", "-C", dir, "."], { encoding: "buffer", maxBuffer: 2 ** 30, reject: false });
  if (result.exitCode !== 0) {
    throw new FapError("E_COMMAND_FAILED", `cannot pack ${dir}: ${Buffer.from(result.stderr).toString().trim() || `tar exited with ${result.exitCode}`}`, {
      hint: "fap packs the bundle with the local tar",
    });
  }
  const archive = Buffer.from(result.stdout);
  return { archive, sha256: createHash("sha256").update(archive).digest("hex"), files: files.length, bytes: sizes.reduce((a, b) => a + b, 0) };
}
