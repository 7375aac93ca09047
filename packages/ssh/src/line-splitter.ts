import { StringDecoder } from "node:string_decoder";

/**
 * Turns chunks into complete lines. Chunks split lines (and UTF-8 characters) anywhere, so the
 * tail is kept until its newline arrives or the stream ends.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder("utf8");
  private partial = "";

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    const text = this.partial + (typeof chunk === "string" ? chunk : this.decoder.write(chunk));
    const lines = text.split("\n");
    this.partial = lines.pop() ?? "";
    for (const line of lines) this.onLine(stripCr(line));
  }

  /** Emits the last line even without its newline. */
  flush(): void {
    const rest = this.partial + this.decoder.end();
    this.partial = "";
    if (rest !== "") this.onLine(stripCr(rest));
  }
}

// Programs talking to a terminal-ish peer end lines with \r\n; callers want the text only.
function stripCr(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}
