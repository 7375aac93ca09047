import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
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
    expect(killGroupCommand(123)).toContain("kill -s KILL -- -123");
  });

  it.each(["sh", "dash", "bash"])("kills the whole process group from %s, the login shell of the user", async (shell) => {
    // detached: the sh leads a process group of its own, as an ssh session's shell does; its
    // sleep is a member that is not the leader.
    const leader = spawn("sh", ["-c", "sleep 30.0517 & echo $!; wait"], { detached: true, stdio: ["ignore", "pipe", "ignore"] });
    const member = Number(await new Promise<string>((resolve) => leader.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString()))));
    // A killed member may linger as a zombie until it is reaped: only a running one counts.
    const alive = (pid: number) => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
      } catch {
        return false;
      }
    };
    try {
      execFileSync(shell, ["-c", killGroupCommand(leader.pid!)]);
      await sleep(200);
      expect(alive(member)).toBe(false);
    } finally {
      leader.kill("SIGKILL");
      if (alive(member)) process.kill(member, "SIGKILL");
    }
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
