import type { HeldFile } from "./manifest.js";
import { MANIFEST_NAME } from "./manifest.js";
import { END_OF_ARCHIVE, padding, tarHeader } from "./tar-header.js";
import type { FileEntry, TreeEntry } from "./tree.js";

/** What goes through the broadcast: everything but folders, which each host gets up front. */
export type ContentEntry = Exclude<TreeEntry, { kind: "dir" }>;

/**
 * What one host gets, as tar members named `<release id>/<path>` for a tar run in the
 * releases folder: so an unchanged file can be a hard link to `<previous id>/<path>`, which
 * tar makes itself, in the same stream. No list of files ever goes on a command line.
 */
export class HostPlan {
  /** Files whose content goes to this host. */
  send = 0;
  sendBytes = 0;
  /** Files hard-linked from the previous release instead. */
  link = 0;
  /** The paths of the files whose content goes to this host: decided once. */
  private readonly sending = new Set<string>();

  constructor(
    private readonly releaseId: string,
    /** The previous release and what its manifest lists; undefined: the host gets everything. */
    private readonly previous: { id: string; files: ReadonlyMap<string, HeldFile> } | undefined,
    entries: readonly TreeEntry[],
  ) {
    for (const entry of entries) {
      if (entry.kind !== "file") continue;
      if (this.linkable(entry)) this.link++;
      else {
        this.sending.add(entry.path);
        this.send++;
        this.sendBytes += entry.size;
      }
    }
  }

  /** Every folder first: tar then never writes through a symlink an earlier step left at a folder's place. */
  folders(entries: readonly TreeEntry[]): Buffer {
    const headers = entries.filter((entry) => entry.kind === "dir").map((entry) => tarHeader({ ...entry, name: this.member(entry.path), type: "dir" }));
    return Buffer.concat(headers);
  }

  /** The header of `entry` for this host, and whether its content must follow. */
  headerFor(entry: ContentEntry): { header: Buffer; content: boolean } {
    const name = this.member(entry.path);
    if (entry.kind === "symlink") return { header: tarHeader({ name, type: "symlink", mode: 0o777, mtime: entry.mtime, linkname: entry.target }), content: false };
    if (this.previous !== undefined && !this.sending.has(entry.path)) {
      return { header: tarHeader({ name, type: "hardlink", mode: entry.mode, mtime: entry.mtime, linkname: `${this.previous.id}/${entry.path}` }), content: false };
    }
    return { header: tarHeader({ name, type: "file", mode: entry.mode, mtime: entry.mtime, size: entry.size }), content: true };
  }

  /** Whether `entry`'s content goes to this host (headerFor's `content`). */
  wants(entry: ContentEntry): boolean {
    return entry.kind === "file" && this.sending.has(entry.path);
  }

  /** The manifest, last (a stream cut before it leaves a release that is not linked from), then the end of the archive. */
  closing(manifest: Buffer, mtime: number): Buffer {
    const header = tarHeader({ name: this.member(MANIFEST_NAME), type: "file", mode: 0o600, mtime, size: manifest.length });
    return Buffer.concat([header, manifest, padding(manifest.length), END_OF_ARCHIVE]);
  }

  /** A file is linked only when its content and its mode are the same: a link shares both (its hash was filled by linkCandidates). */
  private linkable(entry: FileEntry): boolean {
    const held = this.previous?.files.get(entry.path);
    return held !== undefined && entry.sha256 !== "" && held.sha256 === entry.sha256 && held.mode === entry.mode;
  }

  private member(relative: string): string {
    return `${this.releaseId}/${relative}`;
  }
}

/** The files `held` lists with the same size and mode: the ones whose hash decides whether they are linked. */
export function linkCandidates(entries: readonly TreeEntry[], held: ReadonlyMap<string, HeldFile>): FileEntry[] {
  return entries.filter((entry): entry is FileEntry => {
    if (entry.kind !== "file") return false;
    const file = held.get(entry.path);
    return file !== undefined && file.size === entry.size && file.mode === entry.mode;
  });
}
