import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quote, raw, sh } from "../../src/shell/quote.js";

let dir: string;
let canary: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "fap-quote-"));
  canary = join(dir, "CANARY");
  // Files for a glob to match, were it ever expanded.
  writeFileSync(join(dir, "a.txt"), "");
  writeFileSync(join(dir, "b.txt"), "");
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a real shell makes of `quoted` as one argument. */
function roundTrip(shell: string, quoted: string): string {
  return execFileSync(shell, ["-c", `printf %s ${quoted}`], { cwd: dir, encoding: "utf8" });
}

const shells = ["sh", ...(existsSync("/bin/bash") ? ["bash"] : [])];

describe("quote", () => {
  it.each([
    ["plain", "main", "main"],
    ["path", "/home/deploy/www/app", "/home/deploy/www/app"],
    ["number-like", "42", "42"],
    ["spaces", "a b", "'a b'"],
    ["single quote", "it's", `'it'\\''s'`],
    ["double quote", 'say "hi"', `'say "hi"'`],
    ["command substitution", "$(touch /tmp/x)", "'$(touch /tmp/x)'"],
    ["backticks", "`touch /tmp/x`", "'`touch /tmp/x`'"],
    ["variable", "$HOME", "'$HOME'"],
    ["newline", "a\nb", "'a\nb'"],
    ["glob", "*.txt", "'*.txt'"],
    ["tilde", "~/x", "'~/x'"],
    ["semicolon", "a; rm -rf /", "'a; rm -rf /'"],
    ["empty string", "", "''"],
  ])("%s", (_name, value, expected) => {
    expect(quote(value)).toBe(expected);
  });

  it("passes numbers as words", () => {
    expect(quote(22)).toBe("22");
  });

  const hostile = [
    "a b",
    "it's",
    `'"'"'`,
    'say "hi"',
    "$(touch CANARY)",
    "`touch CANARY`",
    "$(touch CANARY)'$(touch CANARY)'",
    "'; touch CANARY; echo '",
    "a\nb\n",
    "line\n$(touch CANARY)",
    "*.txt",
    "?.txt",
    "[ab].txt",
    "~",
    "$HOME ${HOME}",
    "\\n\\t",
    "-n",
    "%s%d",
    "tab\there",
    "é ü 漢字",
    "",
  ];

  for (const shell of shells) {
    it.each(hostile)(`round-trips %j through ${shell} -c without running it`, (value) => {
      const withCanary = value.replace(/CANARY/g, canary);
      expect(roundTrip(shell, quote(withCanary))).toBe(withCanary);
      expect(existsSync(canary)).toBe(false);
    });
  }
});

describe("sh", () => {
  it("quotes every interpolated value", () => {
    expect(sh`rm -rf ${"/srv/app/releases/1"}`).toBe("rm -rf /srv/app/releases/1");
    expect(sh`cd ${"my dir"} && ls ${"$(id)"}`).toBe("cd 'my dir' && ls '$(id)'");
  });

  it("turns arrays into quoted words and passes numbers", () => {
    expect(sh`rm -rf ${["a", "b c", "$(x)"]}`).toBe("rm -rf a 'b c' '$(x)'");
    expect(sh`head -n ${5} ${"f"}`).toBe("head -n 5 f");
    expect(sh`touch ${[]}`).toBe("touch ");
  });

  it("inserts raw shell unquoted", () => {
    expect(sh`cd ${"a b"} && ${raw("make && make install")}`).toBe("cd 'a b' && make && make install");
  });

  it("builds commands a real shell runs as one argument each", () => {
    const words = ["one two", "$(touch " + canary + ")", "`touch " + canary + "`", "x\ny", ""];
    const out = execFileSync("sh", ["-c", sh`printf '[%s]' ${words}`], { cwd: dir, encoding: "utf8" });
    expect(out).toBe(words.map((w) => `[${w}]`).join(""));
    expect(existsSync(canary)).toBe(false);
  });
});
