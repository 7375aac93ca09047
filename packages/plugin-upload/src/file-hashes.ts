import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import path from "node:path";
import { FapError } from "@fap/core";
import type { FileEntry } from "./tree.js";

/** Files hashed at once: enough to keep a disk busy, few enough to keep memory flat. */
const HASHING_AT_ONCE = 8;

/**
 * Hashes the files whose sha256 is not known yet, when something needs it: a host that holds a
 * file of the same path, size and mode (it may be linked, not sent). Files no host holds are
 * hashed by the broadcast while it sends them, so a first deploy reads the tree once. Each file
 * is read once however many hosts ask; HASHING_AT_ONCE at a time across all of them.
 */
export class FileHashes {
  private readonly hashing = new Map<FileEntry, Promise<void>>();
  private readonly waiting: (() => void)[] = [];
  private active = 0;

  constructor(private readonly root: string) {}

  /** Fills in the sha256 of each of `files` not known yet. */
  async fill(files: readonly FileEntry[]): Promise<void> {
    await Promise.all(files.filter((file) => file.sha256 === "").map((file) => this.one(file)));
  }

  private one(file: FileEntry): Promise<void> {
    let done = this.hashing.get(file);
    if (done === undefined) {
      done = this.queued(async () => {
        const read = await sha256Of(path.join(this.root, file.path));
        if (read.bytes !== file.size) throw changedWhileUploading(file.path);
        if (file.sha256 === "") recordHash(file, read.sha256);
      });
      this.hashing.set(file, done);
    }
    return done;
  }

  private async queued(work: () => Promise<void>): Promise<void> {
    if (this.active >= HASHING_AT_ONCE) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      await work();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * Sets `file`'s sha256 to what was just read, or checks it against what was read before (the
 * cache, another host's read): one content per run, or the run stops.
 */
export function recordHash(file: FileEntry, sha256: string): void {
  if (file.sha256 === "") file.sha256 = sha256;
  else if (file.sha256 !== sha256) throw changedWhileUploading(file.path);
}

export function changedWhileUploading(file: string): FapError {
  return new FapError("E_DEPLOY_FAILED", `${file} changed while it was being uploaded`, {
    hint: "upload a folder nothing writes to during the deploy (let the build finish first)",
  });
}

function sha256Of(file: string): Promise<{ sha256: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    let bytes = 0;
    createReadStream(file, { highWaterMark: 256 * 1024 })
      .on("data", (chunk) => {
        bytes += chunk.length;
        hash.update(chunk);
      })
      .on("error", reject)
      .on("end", () => resolve({ sha256: hash.digest("hex"), bytes }));
  });
}
