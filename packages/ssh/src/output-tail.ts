/**
 * The last `limit` bytes of a stream, and how many bytes it had in all. A command may print
 * gigabytes; fap keeps its tail (what errors quote) in bounded memory and counts the rest.
 */
export class OutputTail {
  private chunks: Buffer[] = [];
  private kept = 0;
  /** Every byte pushed, kept or not. */
  total = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    if (this.limit <= 0) return;
    this.chunks.push(chunk);
    this.kept += chunk.length;
    // Drop whole chunks from the front while what remains still covers the limit.
    while (this.chunks.length > 1 && this.kept - this.chunks[0]!.length >= this.limit) {
      this.kept -= this.chunks.shift()!.length;
    }
  }

  /** The kept tail as text; it starts at a whole UTF-8 character. */
  text(): string {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    let start = Math.max(0, all.length - this.limit);
    // A cut inside a character would show U+FFFD: skip its continuation bytes (10xxxxxx).
    if (start > 0) while (start < all.length && (all[start]! & 0xc0) === 0x80) start++;
    return all.subarray(start).toString("utf8");
  }

  /** Bytes left out of `text()`. */
  get dropped(): number {
    return this.total - Math.min(this.total, Math.max(0, this.limit));
  }
}
