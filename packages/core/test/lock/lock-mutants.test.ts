import os from "node:os";
import { describe, expect, it } from "vitest";
import { LOCK_HELD_EXIT } from "../../src/lock/lock-commands.js";
import { checkLockTaken, lockedError, newLockInfo } from "../../src/lock/lock.js";
import { thrown } from "../../../../test/thrown.js";

// Checks the mutation run (npm run test:mutation) found untested: the lock's expiry, and the
// exact errors of a lock that could not be taken (tested only end to end before).

const holder = { deploy: "d1", flow: "deploy", user: "ann", machine: "m", pid: 7, time: "2024-01-01T00:00:00.000Z", expires: "2024-01-01T01:00:00.000Z" };

describe("newLockInfo", () => {
  it("names this run and this process, and expires ttl seconds from now", () => {
    const now = new Date("2024-01-01T00:00:00.000Z");
    expect(newLockInfo({ deployId: "d1", flow: "rollback", deployer: "ann" }, 90, now)).toEqual({
      deploy: "d1",
      flow: "rollback",
      user: "ann",
      machine: os.hostname(),
      pid: process.pid,
      time: "2024-01-01T00:00:00.000Z",
      expires: "2024-01-01T00:01:30.000Z",
    });
  });
});

describe("checkLockTaken", () => {
  const result = (exitCode: number, stderr: string) => ({ stdout: "", stderr, exitCode });

  it("passes a command that took the lock", () => {
    expect(checkLockTaken("web1", "/srv/app", "deploy", result(0, "noise\n"))).toBeUndefined();
  });

  it("names the holder when another run holds the lock", () => {
    const error = thrown(() => checkLockTaken("web1", "/srv/app", "deploy", result(LOCK_HELD_EXIT, `${JSON.stringify(holder)}\n`)));
    expect(error).toMatchObject({ code: "E_LOCKED", host: "web1", message: "locked by ann@m (deploy d1, pid 7) since 2024-01-01T00:00:00.000Z, stale since 2024-01-01T01:00:00.000Z" });
  });

  it("says a lock without readable info has an unknown holder, and how to free it", () => {
    const error = thrown(() => checkLockTaken("web1", "/srv/app", "deploy", result(LOCK_HELD_EXIT, "")));
    expect(error).toMatchObject({ code: "E_LOCKED", host: "web1", message: "locked by an unknown holder (the lock's info is missing or unreadable)" });
    expect(error.hint).toBe("if no deploy is running, free the lock with fap unlock -s STAGE");
  });

  it("quotes the last line of any other failure", () => {
    const stderr = "mkdir: cannot create directory '/srv/app/.fap/lock': Read-only file system\nmkdir: cannot create directory '/srv/app': Permission denied\n";
    const error = thrown(() => checkLockTaken("web1", "/srv/app", "rollback", result(1, stderr)));
    expect(error).toMatchObject({
      code: "E_COMMAND_FAILED",
      host: "web1",
      message: "cannot start the rollback in /srv/app: mkdir: cannot create directory '/srv/app': Permission denied",
      hint: "check that the deploy path is writable by the SSH user",
      details: { exitCode: 1, stderr },
    });
  });
});

describe("lockedError", () => {
  it("calls a lock stale only once its expiry has passed, and says which unlock to use", () => {
    const expires = Date.parse(holder.expires);
    const live = lockedError("web1", { holder }, new Date(expires));
    expect(live).toMatchObject({ code: "E_LOCKED", host: "web1", message: "locked by ann@m (deploy d1, pid 7) since 2024-01-01T00:00:00.000Z", details: { holder } });
    expect(live.hint).toBe("wait for that run to finish; if it is gone, fap unlock -s STAGE");
    const stale = lockedError("web1", { holder }, new Date(expires + 1));
    expect(stale.message).toBe("locked by ann@m (deploy d1, pid 7) since 2024-01-01T00:00:00.000Z, stale since 2024-01-01T01:00:00.000Z");
    expect(stale.hint).toBe("that run seems gone: free the lock with fap unlock -s STAGE --force");
    expect(stale.details).toEqual({ holder });
  });
});
