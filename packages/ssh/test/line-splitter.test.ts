import { describe, expect, it } from "vitest";
import { LineSplitter } from "../src/line-splitter.js";

function split(chunks: Array<string | Buffer>, flush = true): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  for (const chunk of chunks) splitter.push(chunk);
  if (flush) splitter.flush();
  return lines;
}

describe("LineSplitter", () => {
  it.each<[string, Array<string | Buffer>, string[]]>([
    ["one line", ["a\n"], ["a"]],
    ["several lines in one chunk", ["a\nb\nc\n"], ["a", "b", "c"]],
    ["a line split over chunks", ["hel", "lo\nwor", "ld\n"], ["hello", "world"]],
    ["the last line without newline is flushed", ["a\nb"], ["a", "b"]],
    ["empty lines are kept", ["\n\na\n"], ["", "", "a"]],
    ["CRLF is stripped", ["a\r\nb\r", "\n"], ["a", "b"]],
    ["nothing", [], []],
    ["a newline-only chunk", ["a", "\n"], ["a"]],
    // "é" is 0xc3 0xa9: a chunk boundary inside a character must not mangle it.
    ["a UTF-8 character split over chunks", [Buffer.from([0x63, 0x61, 0x66, 0xc3]), Buffer.from([0xa9, 0x0a])], ["café"]],
  ])("%s", (_name, chunks, expected) => {
    expect(split(chunks)).toEqual(expected);
  });

  it("holds a partial line until flush", () => {
    expect(split(["a\npartial"], false)).toEqual(["a"]);
  });
});

describe("LineSplitter on huge output", () => {
  /** Milliseconds to split one line of `mb` MB arriving in 32 KiB chunks, and the line it gave. */
  const timeOneLine = (mb: number) => {
    const chunk = Buffer.alloc(32 * 1024, "x");
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    const started = process.hrtime.bigint();
    for (let sent = 0; sent < mb * 1024 * 1024; sent += chunk.length) splitter.push(chunk);
    splitter.push("\n");
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { ms, lines };
  };

  it("splits in linear time: a 40 MB line costs about 10 times a 4 MB one, not 100", () => {
    timeOneLine(4); // warm-up
    const small = Math.min(...[1, 2, 3].map(() => timeOneLine(4).ms));
    const large = Math.min(...[1, 2].map(() => timeOneLine(40).ms));
    // Linear gives ~10; the old splitter (re-joining the partial line per chunk) gave >100.
    expect(large / Math.max(small, 0.5)).toBeLessThan(40);
  });

  it("cuts a line longer than the bound and says how much it left out", () => {
    const { lines } = timeOneLine(4);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBeLessThan(17 * 1024);
    expect(lines[0]).toMatch(/^x{16384} … \(4177920 more characters of this line not shown\)$/);
  });

  it("cuts at the bound given, across chunks, and starts the next line afresh", () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line), 5);
    for (const chunk of ["abc", "defg", "hi\nshort\r\n", "0123456789"]) splitter.push(chunk);
    splitter.flush();
    expect(lines).toEqual(["abcde … (4 more characters of this line not shown)", "short", "01234 … (5 more characters of this line not shown)"]);
  });
});
