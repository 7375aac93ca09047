import { describe, expect, it } from "vitest";
import { LineSplitter } from "../src/line-splitter.js";

function split(chunks: string[], maxChars?: number): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line), maxChars);
  for (const chunk of chunks) splitter.push(chunk);
  splitter.flush();
  return lines;
}

// Checks the mutation run (npm run test:mutation) found untested.
describe("LineSplitter edges", () => {
  it("strips only the \\r of a longer CRLF line", () => {
    expect(split(["hello\r\nworld\r\n"])).toEqual(["hello", "world"]);
  });

  it("does not count a cut line's \\r when its \\n comes in the next chunk", () => {
    expect(split(["abcdef\r", "\nnext\n"], 3)).toEqual(["abc … (3 more characters of this line not shown)", "nex … (1 more characters of this line not shown)"]);
  });

  it("counts a line that kept nothing (a limit of 0)", () => {
    expect(split(["abc"], 0)).toEqual([" … (3 more characters of this line not shown)"]);
  });
});
