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
