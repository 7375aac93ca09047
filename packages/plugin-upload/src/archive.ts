import { execFile } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { FapError } from "@fap/core";

const run = promisify(execFile);

/**
 * Unpacks upload_archive (.tar, .tgz, .tar.gz: the local tar finds the compression) into a new
 * temporary folder, whose path it returns; `remove` deletes it. Its content is then shipped
 * like upload_dir's, so both get the same delta, checks and streaming.
 */
export async function unpackArchive(archive: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const info = await stat(archive).catch(() => undefined);
  if (!info?.isFile()) {
    throw new FapError("E_CONFIG", `upload_archive ${archive} is not a file`, { hint: "set upload_archive: to the .tar or .tgz your build made (relative to where fap runs)" });
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "fap-upload-"));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await run("tar", ["-x", "-f", archive, "-C", dir, "--no-same-owner"], { maxBuffer: 1024 * 1024 });
  } catch (error) {
    await remove();
    const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim().split("\n")[0] ?? "";
    throw new FapError("E_CONFIG", `cannot unpack upload_archive ${archive}${stderr ? `: ${stderr}` : ""}`, {
      hint: "upload_archive must be a .tar, .tgz or .tar.gz the local tar can read",
      cause: error,
    });
  }
  return { dir, remove };
}
