import { spawnSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { refuseSymlinks, WRITE_THROUGH_EXIT, writePrivateFileCommand, writeThroughError } from "../../src/shell/no-write-through.js";

// The commands run in a local sh here (their shell semantics); test/e2e/write-through.e2e.test.ts runs them on sshd hosts.
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "fap-no-write-through-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (command: string, input = "") => spawnSync("sh", ["-c", command], { input, encoding: "utf8" });

describe("refuseSymlinks", () => {
  it("is empty for a path right under the root, unless the path itself is checked", () => {
    expect(refuseSymlinks("/r", "app.ini", { what: "x", where: "the release" })).toBe("");
    expect(refuseSymlinks("/r", "public", { what: "x", where: "the release", self: true })).toContain("for fap_p in public;");
  });

  it("names the path and the link of the first symlinked directory, and exits with its code", () => {
    const odd = "a b'$(touch pwned)";
    mkdirSync(path.join(dir, "release", odd), { recursive: true });
    symlinkSync("/somewhere else", path.join(dir, "release", odd, "conf"));
    const result = run(refuseSymlinks(path.join(dir, "release"), `${odd}/conf/x/app.ini`, { what: `linked path '${odd}/conf/x/app.ini'`, where: "the release" }));
    expect(result.status).toBe(WRITE_THROUGH_EXIT);
    expect(result.stderr).toBe(`linked path '${odd}/conf/x/app.ini': '${odd}/conf' in the release is a symlink (to /somewhere else); fap will not write through it\n`);
    expect(() => lstatSync(path.join(process.cwd(), "pwned"))).toThrow();
  });

  it("passes real directories and missing ones", () => {
    mkdirSync(path.join(dir, "release/conf"), { recursive: true });
    expect(run(refuseSymlinks(path.join(dir, "release"), "conf/new/app.ini", { what: "x", where: "the release" })).status).toBe(0);
  });
});

describe("writeThroughError", () => {
  it("turns only the refusal into a config error", () => {
    const line = "linked path 'a/b': 'a' in the release is a symlink (to /x); fap will not write through it";
    expect(writeThroughError("web1", WRITE_THROUGH_EXIT, line, {})?.message).toBe(line);
    expect(writeThroughError("web1", 1, line, {})).toBeUndefined();
    expect(writeThroughError("web1", WRITE_THROUGH_EXIT, "a hook's own exit 86", {})).toBeUndefined();
  });
});

describe("writePrivateFileCommand", () => {
  it("replaces a readable file or a symlink with a new 0600 file, leaving the link's target alone", () => {
    writeFileSync(path.join(dir, "target"), "theirs\n");
    symlinkSync(path.join(dir, "target"), path.join(dir, ".env"));
    writeFileSync(path.join(dir, "plain"), "old\n", { mode: 0o664 });
    for (const name of [".env", "plain"]) {
      const result = run(writePrivateFileCommand(path.join(dir, name)), "SECRET=1\n");
      expect(result.status, result.stderr).toBe(0);
      expect(lstatSync(path.join(dir, name)).isFile()).toBe(true);
      expect(statSync(path.join(dir, name)).mode & 0o777).toBe(0o600);
      expect(readFileSync(path.join(dir, name), "utf8")).toBe("SECRET=1\n");
    }
    expect(readFileSync(path.join(dir, "target"), "utf8")).toBe("theirs\n");
  });
});
