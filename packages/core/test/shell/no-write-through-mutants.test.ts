import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { refuseSymlinks, WRITE_THROUGH_EXIT, writePrivateFileCommand, writeThroughError } from "../../src/shell/no-write-through.js";

// Checks the mutation run (npm run test:mutation) found untested: paths with `.` or empty
// parts, the refusal's hint, and where the private file's temporary goes.

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "fap no write through "));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("refuseSymlinks", () => {
  it("names the linked directory without the '.' and empty parts of the path it was given", () => {
    mkdirSync(join(dir, "release"));
    symlinkSync("/elsewhere", join(dir, "release", "conf"));
    for (const relative of ["./conf/app.ini", "conf//app.ini", "/conf/./app.ini"]) {
      const result = spawnSync("sh", ["-c", refuseSymlinks(join(dir, "release"), relative, { what: "x", where: "the release" })], { encoding: "utf8" });
      expect(result.status).toBe(WRITE_THROUGH_EXIT);
      expect(result.stderr).toBe("x: 'conf' in the release is a symlink (to /elsewhere); fap will not write through it\n");
    }
  });
});

describe("writeThroughError", () => {
  it("is a config error with the refusal's line, its host and a hint", () => {
    const line = "linked path 'a/b': 'a' in the release is a symlink (to /x); fap will not write through it";
    expect(writeThroughError("web1", WRITE_THROUGH_EXIT, line, { exitCode: 86 })).toMatchObject({
      code: "E_CONFIG",
      message: line,
      host: "web1",
      hint: "remove the symlink (from the repository or the artifact, or from shared/), or choose a path that does not go through it",
      details: { exitCode: 86 },
    });
  });
});

describe("writePrivateFileCommand", () => {
  it("writes into a hidden temporary beside the file, then renames it", () => {
    expect(writePrivateFileCommand("/srv/app/releases/1/.env")).toBe(
      "(umask 077 && rm -f /srv/app/releases/1/..env.fap-tmp && cat > /srv/app/releases/1/..env.fap-tmp && mv -f -T /srv/app/releases/1/..env.fap-tmp /srv/app/releases/1/.env)",
    );
  });
});
