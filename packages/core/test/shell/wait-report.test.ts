import { describe, expect, it } from "vitest";
import { lastLogLine, readWaitReport } from "../../src/shell/wait-report.js";

const MARK = "::demo::";
const read = (lines: string[]) => readWaitReport(lines.join("\n"), MARK, { state: "proc", log: "log" }, (words) => words.join("|"));

describe("readWaitReport", () => {
  it("reads the result, each state and each log's lines up to the next mark", () => {
    const report = read([
      "what the shell said before the script",
      "::demo::proc 0 online",
      "::demo::log /logs/a b.log",
      "first",
      "",
      "   ",
      "  second",
      "::demo::result crashed",
      "not a log's line",
      "::demo::log /logs/c.log",
      "third",
      "::demo::other x",
      "dropped",
      "",
    ]);
    expect(report).toEqual({
      result: "crashed",
      states: ["0|online"],
      logs: [
        { name: "/logs/a b.log", lines: ["first", "  second"] },
        { name: "/logs/c.log", lines: ["third"] },
      ],
    });
  });

  it("has no result when the script printed no answer", () => {
    expect(read(["bash: node: not found"])).toEqual({ result: undefined, states: [], logs: [] });
  });
});

describe("lastLogLine", () => {
  it("is the last line that is not a stack frame, of the first log that has one", () => {
    const logs = [
      { name: "err", lines: ["    at main (x.js:1:1)"] },
      { name: "out", lines: ["Error: boom", "    at f (x.js:2:2)", "  at g (x.js:3:3)"] },
      { name: "later", lines: ["not this"] },
    ];
    expect(lastLogLine(logs)).toBe("Error: boom");
    expect(lastLogLine([])).toBeUndefined();
  });
});
