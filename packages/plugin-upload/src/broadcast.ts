import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Writable } from "node:stream";
import { changedWhileUploading, recordHash } from "./file-hashes.js";
import type { ContentEntry } from "./host-plan.js";
import { padding } from "./tar-header.js";

/** One host's stream, as the broadcast sees it. */
export interface Receiver {
  readonly out: Writable;
  headerFor(entry: ContentEntry): { header: Buffer; content: boolean };
  /** Whether `entry`'s content goes to this host (what headerFor would say). */
  wants(entry: ContentEntry): boolean;
  /** Called once every entry went by: write the end and close `out`. */
  finish(): void;
}

interface Member {
  receiver: Receiver;
  /** Entries still to go by before this member has seen them all. */
  remaining: number;
  done: () => void;
  /** Rejects the join: for a finish that threw, after the member left. */
  refuse: (error: unknown) => void;
  fail: (error: unknown) => void;
  gone: boolean;
  /** Small writes not yet handed to the stream (see write). */
  pending: Buffer[];
  pendingBytes: number;
}

/** How much of a file is read at once; each piece is written to every host that needs it. */
const PIECE_BYTES = 256 * 1024;
/**
 * Small files wanted next are read ahead, whole, while the current one is sent: opening,
 * reading and closing thousands of files one after the other would leave the connections
 * idle in between. At most this many files and bytes are held ahead.
 */
const AHEAD_FILES = 32;
const AHEAD_BYTES = 8 * 1024 * 1024;

/**
 * Reads the tree's files once and writes each piece to every host that lacks it, at the pace
 * of the slowest (backpressure: a piece is freed once every host took it, so memory stays flat
 * however big the tree). It goes round like a carousel: a host that joins late starts at the
 * entry going by and leaves when it has gone round once, so hosts joining together share reads.
 */
export class Broadcast {
  private cursor = 0;
  private readonly members = new Set<Member>();
  private running = false;
  /** Contents read ahead, by entry index. */
  private readonly ahead = new Map<number, Promise<Buffer | undefined>>();

  constructor(
    private readonly root: string,
    private readonly entries: readonly ContentEntry[],
  ) {}

  /** Resolves when `receiver` has had every entry and was finished; rejects when its stream or a local read failed. */
  join(receiver: Receiver): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const member: Member = { receiver, remaining: this.entries.length, done: resolve, refuse: reject, fail: reject, gone: false, pending: [], pendingBytes: 0 };
      const leave = (error: unknown) => {
        if (member.gone) return;
        member.gone = true;
        this.members.delete(member);
        reject(error);
      };
      member.fail = leave;
      receiver.out.once("error", leave);
      receiver.out.once("close", () => leave(new Error("the host's stream closed before the upload ended")));
      if (this.entries.length === 0) return this.complete(member);
      this.members.add(member);
      if (!this.running) void this.turn();
    });
  }

  private complete(member: Member): void {
    member.gone = true;
    this.members.delete(member);
    flush(member);
    try {
      member.receiver.finish();
    } catch (error) {
      member.receiver.out.destroy();
      return member.refuse(error);
    }
    member.done();
  }

  private async turn(): Promise<void> {
    this.running = true;
    try {
      while (this.members.size > 0) {
        const entry = this.entries[this.cursor]!;
        const here = [...this.members];
        this.readAhead();
        const early = this.ahead.get(this.cursor);
        this.ahead.delete(this.cursor);
        try {
          await this.send(entry, here, early);
        } catch (error) {
          // A local read failed: every host's stream is cut, none gets a half release.
          for (const member of [...this.members]) member.fail(error);
          break;
        }
        for (const member of here) if (!member.gone && --member.remaining === 0) this.complete(member);
        this.cursor = (this.cursor + 1) % this.entries.length;
      }
    } finally {
      this.running = false;
      this.ahead.clear();
    }
  }

  /** Starts reading the next small files some host wants, up to AHEAD_FILES and AHEAD_BYTES. */
  private readAhead(): void {
    let bytes = 0;
    // Not past the last entry any member still has to see: reading the first files again at the end of a round was wasted.
    const left = Math.max(...[...this.members].map((member) => member.remaining));
    for (let step = 0; step < Math.min(AHEAD_FILES, left); step++) {
      const index = (this.cursor + step) % this.entries.length;
      const entry = this.entries[index]!;
      if (entry.kind !== "file" || entry.size > PIECE_BYTES * 4) continue;
      bytes += entry.size;
      if (bytes > AHEAD_BYTES) break;
      if (this.ahead.has(index) || ![...this.members].some((m) => m.receiver.wants(entry))) continue;
      // A failed read is not reported here: send() reads the file again and fails there.
      this.ahead.set(index, readFile(path.join(this.root, entry.path)).catch(() => undefined));
    }
  }

  private async send(entry: ContentEntry, here: readonly Member[], early: Promise<Buffer | undefined> | undefined): Promise<void> {
    const wanting: Member[] = [];
    for (const member of here) {
      const { header, content } = member.receiver.headerFor(entry);
      await write([member], header);
      if (content) wanting.push(member);
    }
    if (wanting.length === 0 || entry.kind !== "file") return;
    const whole = await early;
    if (whole !== undefined) {
      if (whole.length !== entry.size) throw changedWhileUploading(entry.path);
      // Hashed here when no host needed the hash before (a first deploy): the tree is read once.
      recordHash(entry, createHash("sha256").update(whole).digest("hex"));
      await write(wanting, whole);
      await write(wanting, padding(entry.size));
      return;
    }
    const hash = createHash("sha256");
    let read = 0;
    for await (const piece of createReadStream(path.join(this.root, entry.path), { highWaterMark: PIECE_BYTES }) as AsyncIterable<Buffer>) {
      read += piece.length;
      // The header promised `size` bytes: a file that grew since it was read would break the archive.
      if (read > entry.size) throw changedWhileUploading(entry.path);
      hash.update(piece);
      await write(wanting, piece);
    }
    if (read !== entry.size) throw changedWhileUploading(entry.path);
    recordHash(entry, hash.digest("hex"));
    await write(wanting, padding(entry.size));
  }
}

/**
 * Below this size a chunk (a header, a small file) is gathered with the next ones and written
 * as one: each write becomes an SSH packet, encrypted and sent on its own, and thousands of
 * 512-byte hard-link headers written one by one cost more than the files they stand for.
 */
const GATHER_BYTES = 64 * 1024;
const GATHERED_MAX = 256 * 1024;

/** Writes `chunk` to each live member, then waits until each has room again (or is gone). */
async function write(members: readonly Member[], chunk: Buffer): Promise<void> {
  if (chunk.length === 0) return;
  const full: Promise<void>[] = [];
  for (const member of members) {
    if (member.gone) continue;
    if (chunk.length < GATHER_BYTES) {
      member.pending.push(chunk);
      member.pendingBytes += chunk.length;
      if (member.pendingBytes >= GATHERED_MAX && !flush(member)) full.push(roomIn(member));
      continue;
    }
    flush(member);
    if (!member.receiver.out.write(chunk)) full.push(roomIn(member));
  }
  await Promise.all(full);
}

/** Hands what `member` gathered to its stream; false when the stream is full. */
function flush(member: Member): boolean {
  if (member.pendingBytes === 0) return true;
  const gathered = member.pending.length === 1 ? member.pending[0]! : Buffer.concat(member.pending, member.pendingBytes);
  member.pending = [];
  member.pendingBytes = 0;
  return member.receiver.out.write(gathered);
}

function roomIn(member: Member): Promise<void> {
  const { out } = member.receiver;
  return new Promise((resolve) => {
    const done = () => {
      out.off("drain", done);
      out.off("close", done);
      resolve();
    };
    out.on("drain", done);
    out.on("close", done);
  });
}
