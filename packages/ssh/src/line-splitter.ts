import { StringDecoder } from "node:string_decoder";
import { MAX_LINE_CHARS } from "@fap/core/internal";

/**
 * Turns chunks into complete lines. Chunks split lines (and UTF-8 characters) anywhere, so the
 * start of a line is kept until its newline arrives or the stream ends. Each chunk is scanned
 * once (linear in the output), and a line longer than `maxChars` is cut: its start is kept,
 * the rest only counted, so one endless line cannot fill memory.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder("utf8");
  private pieces: string[] = [];
  private length = 0;
  private cut = 0;
  /** The line's last character so far, kept or cut: a cut line's \r is not "more characters". */
  private last = "";

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxChars: number = MAX_LINE_CHARS,
  ) {}

  push(chunk: Buffer | string): void {
    const text = typeof chunk === "string" ? chunk : this.decoder.write(chunk);
    let start = 0;
    for (let newline = text.indexOf("\n"); newline !== -1; newline = text.indexOf("\n", start)) {
      this.keep(text, start, newline);
      this.emit();
      start = newline + 1;
    }
    this.keep(text, start, text.length);
  }

  /** Emits the last line even without its newline. */
  flush(): void {
    const rest = this.decoder.end();
    this.keep(rest, 0, rest.length);
    if (this.length > 0 || this.cut > 0) this.emit();
  }

  private keep(text: string, from: number, to: number): void {
    const take = Math.max(0, Math.min(this.maxChars - this.length, to - from));
    if (take > 0) {
      this.pieces.push(text.slice(from, from + take));
      this.length += take;
    }
    this.cut += to - from - take;
    if (to > from) this.last = text[to - 1]!;
  }

  private emit(): void {
    const line = this.pieces.join("");
    const cut = this.cut - (this.cut > 0 && this.last === "\r" ? 1 : 0);
    this.last = "";
    this.pieces = [];
    this.length = 0;
    this.cut = 0;
    this.onLine(cut > 0 ? `${line} … (${cut} more characters of this line not shown)` : stripCr(line));
  }
}

// Programs talking to a terminal-ish peer end lines with \r\n; callers want the text only.
function stripCr(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}
