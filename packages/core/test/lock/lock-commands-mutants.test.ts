import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeHolder, LOCK_HELD_EXIT, parseHeldLock, parseLockInfo, releaseLockCommand, takeLockCommand } from "../../src/lock/lock-commands.js";

// Checks the mutation run (npm run test:mutation) found untested: a loser's wait for a racing
// run's info, freeing only our own lock, and reading a lock's info out of noisy output.

const info = { deploy: "d1", flow: "deploy", user: "ann", machine: "m", pid: 7, time: "2024-01-01T00:00:00.000Z", expires: "2999-01-01T00:00:00.000Z" };
const line = JSON.stringify(info);

let meta: string;
beforeEach(() => {
  meta = join(mkdtempSync(join(tmpdir(), "fap lock ")), ".fap");
});
afterEach(() => rmSync(join(meta, ".."), { recursive: true, force: true }));

function run(command: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", command], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (status) => resolve({ status, stderr }));
  });
}

describe("takeLockCommand", () => {
  it("gives a lock with an empty info a second, for the racing run that is writing it, then names that run", async () => {
    mkdirSync(join(meta, "lock"), { recursive: true });
    writeFileSync(join(meta, "lock", "info"), "");
    const started = performance.now();
    const loser = run(takeLockCommand({ meta }, { ...info, deploy: "d2" }));
    setTimeout(() => writeFileSync(join(meta, "lock", "info"), `${line}\n`), 300);
    const result = await loser;
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    expect(result).toEqual({ status: LOCK_HELD_EXIT, stderr: `${line}\n` });
  });
});

describe("releaseLockCommand", () => {
  it("is one check of the holder and one rm when the run made no directories", () => {
    expect(releaseLockCommand({ meta: "/srv/app/.fap" }, "d1")).toBe(
      `if { IFS= read -r held < /srv/app/.fap/lock/info; } 2>/dev/null && case "$held" in *'"deploy":"d1"'*) true;; *) false;; esac; then rm -rf /srv/app/.fap/lock; fi`,
    );
  });

  it("leaves another run's lock alone, and frees our own", () => {
    mkdirSync(join(meta, "lock"), { recursive: true });
    writeFileSync(join(meta, "lock", "info"), `${line}\n`);
    expect(spawnSync("sh", ["-c", releaseLockCommand({ meta }, "d2")]).status).toBe(0);
    expect(existsSync(join(meta, "lock", "info"))).toBe(true);
    expect(spawnSync("sh", ["-c", releaseLockCommand({ meta }, "d1")]).status).toBe(0);
    expect(existsSync(join(meta, "lock"))).toBe(false);
  });
});

describe("parseHeldLock", () => {
  it("reads the mark and the info through a carriage return and lines after the info", () => {
    expect(parseHeldLock(`held\r\n${line}\nsomething else\n`)).toEqual({ holder: info });
    expect(parseHeldLock("nothing\n")).toBeUndefined();
  });
});

describe("parseLockInfo", () => {
  it("finds the info's line among other lines, even indented", () => {
    expect(parseLockInfo(`sudo: unable to resolve host web1\n  ${line}\n`)).toEqual(info);
    expect(parseLockInfo("{not json\n")).toBeUndefined();
  });

  it("takes only a complete info: every text field a string, the pid a number", () => {
    expect(parseLockInfo(JSON.stringify({ pid: 7 }))).toBeUndefined();
    expect(parseLockInfo(JSON.stringify({ deploy: "d1", pid: 7 }))).toBeUndefined();
    expect(parseLockInfo(JSON.stringify({ ...info, user: 1 }))).toBeUndefined();
    expect(parseLockInfo(JSON.stringify({ ...info, pid: "7" }))).toBeUndefined();
  });
});

describe("describeHolder", () => {
  it("names the holder, or says it is unknown", () => {
    expect(describeHolder({ holder: info })).toBe("ann@m (deploy d1, pid 7)");
    expect(describeHolder({ holder: undefined })).toBe("an unknown holder");
  });
});
