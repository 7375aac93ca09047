import { describe, expect, it } from "vitest";
import { PidReportFilter, killGroupCommand, withPidReport } from "../src/pid-marker.js";

const token = /printf '([^%]+)%s/.exec(withPidReport("true"))![1]!;

function filter(chunks: string[]): { out: string; pid: number | undefined } {
  let out = "";
  const f = new PidReportFilter((chunk) => (out += chunk.toString()));
  for (const chunk of chunks) f.push(Buffer.from(chunk));
  f.flush();
  return { out, pid: f.pid };
}

describe("pid report", () => {
  it("puts the report before the command on its own line", () => {
    expect(withPidReport("# a comment\necho hi")).toBe(`printf '${token}%s\\n' "$$" >&2\n# a comment\necho hi`);
    expect(killGroupCommand(123)).toContain("kill -KILL -- -123");
  });

  it.each<[string, string[], string, number | undefined]>([
    ["alone", [`${token}42\n`], "", 42],
    ["followed by output", [`${token}42\nerr\n`], "err\n", 42],
    ["split anywhere", [token.slice(0, 3), `${token.slice(3)}4`, "2\nerr", "or\n"], "error\n", 42],
    ["after login-script noise", ["noise\npartial ", `${token}7\nafter\n`], "noise\npartial after\n", 7],
    ["never reported", ["just stderr\nno newline"], "just stderr\nno newline", undefined],
    ["nothing", [], "", undefined],
  ])("%s", (_name, chunks, out, pid) => {
    expect(filter(chunks)).toEqual({ out, pid });
  });
});
