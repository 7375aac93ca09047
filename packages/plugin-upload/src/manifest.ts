import { FapError } from "@fap/core";
import type { TreeEntry } from "./tree.js";

/**
 * The content-hash manifest each release keeps at its top, written last by the upload: what
 * the next deploy compares its files with, to hard-link the unchanged ones instead of sending them.
 */
export const MANIFEST_NAME = ".fap-upload-manifest";

const HEADER = "# fap-upload-manifest 1";

/** What a release already holds of a file: enough to know it can be linked. */
export interface HeldFile {
  sha256: string;
  mode: number;
  size: number;
}

/**
 * One JSON array per line (any byte of a path survives, newlines too), between a header and a
 * count: a manifest cut short or edited by hand reads as none, and then the host gets everything.
 */
export function manifestText(entries: readonly TreeEntry[]): string {
  const lines = [HEADER];
  for (const entry of entries) {
    if (entry.kind === "file" && entry.sha256 === "") throw new FapError("E_PLUGIN", `${entry.path} was not hashed before the upload manifest was written (a bug in the upload plugin)`);
    if (entry.kind === "file") lines.push(JSON.stringify(["f", entry.path, entry.mode, entry.size, entry.sha256]));
    else if (entry.kind === "symlink") lines.push(JSON.stringify(["l", entry.path, entry.target]));
    else lines.push(JSON.stringify(["d", entry.path, entry.mode]));
  }
  lines.push(`# end ${entries.length}`);
  return `${lines.join("\n")}\n`;
}

/** The files a release's manifest lists, by path; undefined when it is missing or garbled. */
export function parseManifest(text: string): Map<string, HeldFile> | undefined {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  if (lines[0] !== HEADER) return undefined;
  const end = /^# end (\d+)$/.exec(lines.at(-1) ?? "");
  if (end === null || Number(end[1]) !== lines.length - 2) return undefined;
  const files = new Map<string, HeldFile>();
  for (const line of lines.slice(1, -1)) {
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      return undefined;
    }
    if (!Array.isArray(row) || typeof row[1] !== "string") return undefined;
    if (row[0] !== "f") continue;
    const [, file, mode, size, sha256] = row as [string, string, unknown, unknown, unknown];
    if (typeof mode !== "number" || typeof size !== "number" || typeof sha256 !== "string" || !/^[0-9a-f]{64}$/.test(sha256)) return undefined;
    files.set(file, { sha256, mode, size });
  }
  return files;
}
