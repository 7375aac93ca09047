import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { doctorCommand, parseDoctorOutput } from "../../src/shell/doctor.js";

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "fap doctor "));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const probe = (root: string, tools: string[]) =>
  parseDoctorOutput(execFileSync("sh", ["-c", doctorCommand({ root, meta: `${root}/.fap` }, tools)], { encoding: "utf8" }), tools);

describe("doctorCommand", () => {
  it("finds the nearest existing folder, its free space, the lock and each tool, changing nothing", () => {
    const root = join(tmp, "www", "app");
    const found = probe(root, ["sh", "no-such-tool-here", "/bin/sh"]);
    expect(found).toMatchObject({ existing: tmp, isDirectory: true, writable: true, mount: expect.stringMatching(/^\//), lock: undefined });
    expect(found.user).toBe(execFileSync("id", ["-un"], { encoding: "utf8" }).trim());
    expect(found.freeKiB).toBeGreaterThan(0);
    expect(found.tools.get("sh")).toMatch(/\/sh$/);
    expect(found.tools.get("no-such-tool-here")).toBeUndefined();
    expect(found.tools.get("/bin/sh")).toBe("/bin/sh");
    expect(execFileSync("ls", ["-A", tmp], { encoding: "utf8" })).toBe("");
  });

  it("sees a file in the way and the deploy lock", () => {
    writeFileSync(join(tmp, "blocker"), "");
    expect(probe(join(tmp, "blocker", "app"), [])).toMatchObject({ existing: join(tmp, "blocker"), isDirectory: false });
    const root = join(tmp, "app");
    mkdirSync(join(root, ".fap", "lock"), { recursive: true });
    const info = { deploy: "d1", flow: "deploy", user: "ann", machine: "m", pid: 7, time: "t", expires: "e" };
    writeFileSync(join(root, ".fap", "lock", "info"), `${JSON.stringify(info)}\n`);
    expect(probe(root, [])).toMatchObject({ existing: root, isDirectory: true, lock: { holder: info } });
    writeFileSync(join(root, ".fap", "lock", "info"), "::fap-doctor::writable=0\n");
    expect(probe(root, [])).toMatchObject({ writable: true, lock: { holder: undefined } });
  });

  it("parses only its own lines", () => {
    const out = "motd line\n::fap-doctor::user=deploy\n::fap-doctor::existing=/srv\n::fap-doctor::dir=1\n::fap-doctor::writable=0\n::fap-doctor::free=12\n::fap-doctor::tool.git=\n";
    expect(parseDoctorOutput(out, ["git"])).toEqual({
      user: "deploy",
      existing: "/srv",
      isDirectory: true,
      writable: false,
      freeKiB: 12,
      mount: undefined,
      lock: undefined,
      tools: new Map([["git", undefined]]),
      probes: [],
    });
  });

  it("runs each plugin probe in a subshell and returns its exact output and exit code", () => {
    const probes = ["printf 'v20.1.0'", "echo ::fap-doctor::writable=0; echo two; exit 3", "cd /; echo; echo oops >&2", "true"];
    const out = execFileSync("sh", ["-c", doctorCommand({ root: tmp, meta: `${tmp}/.fap` }, ["sh"], probes)], { encoding: "utf8" });
    const found = parseDoctorOutput(out, ["sh"], probes.length);
    expect(found.probes).toEqual([
      { stdout: "v20.1.0", exitCode: 0 },
      { stdout: "::fap-doctor::writable=0\ntwo\n", exitCode: 3 },
      { stdout: "\n", exitCode: 0 },
      { stdout: "", exitCode: 0 },
    ]);
    // A probe's lines are its own: they do not set doctor's findings, and its exit ends only itself.
    expect(found).toMatchObject({ writable: true, existing: tmp });
    expect(found.tools.get("sh")).toMatch(/\/sh$/);
    expect(parseDoctorOutput("::fap-doctor::probe-begin.0\nv1\n", [], 1).probes).toEqual([undefined]);
  });
});
