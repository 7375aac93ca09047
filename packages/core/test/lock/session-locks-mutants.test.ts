import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HostPaths } from "../../src/context.js";
import { FapError } from "../../src/errors.js";
import { SessionLocks } from "../../src/lock/session-locks.js";
import type { Remote } from "../../src/remote.js";
import { localRemote } from "../_local-remote.js";
import { rejection } from "../../../../test/thrown.js";

// Checks the mutation run (npm run test:mutation) found untested: SessionLocks was tested only
// through openSession, which never has a later host fail, nor a state too big to read whole.

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "fap session locks "));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

function paths(host: string): HostPaths {
  const root = join(tmp, host);
  return { root, releases: `${root}/releases`, current: `${root}/current`, shared: `${root}/shared`, meta: `${root}/.fap`, release: undefined };
}

const other = { deploy: "other", flow: "deploy", user: "ann", machine: "m", pid: 1, time: "2024-01-01T00:00:00.000Z", expires: "2999-01-01T00:00:00.000Z" };
function lockedByOther(host: string): void {
  mkdirSync(`${paths(host).meta}/lock`, { recursive: true });
  writeFileSync(`${paths(host).meta}/lock/info`, JSON.stringify(other));
}

/**
 * A remote whose transport keeps only the last `keep` bytes of stdout, as @fap/ssh's keeps
 * `keepBytes` (1 MiB unless asked), and says how much there was. `honour`: false for one that
 * cuts whatever it is asked.
 */
function cutting(host: string, keep: number, honour = true): Remote {
  const remote = localRemote(host);
  return {
    ...remote,
    async exec(command, options = {}) {
      const result = await remote.exec(command, options);
      const limit = honour ? (options.keepBytes ?? keep) : keep;
      const bytes = Buffer.byteLength(result.stdout);
      if (bytes <= limit) return result;
      return { ...result, stdout: Buffer.from(result.stdout).subarray(bytes - limit).toString(), stdoutBytes: bytes };
    },
  };
}

/** A release log of a few hundred bytes, for a transport that keeps 100. */
function longLog(host: string): void {
  mkdirSync(paths(host).meta, { recursive: true });
  const entries = [1, 2, 3].map((n) => JSON.stringify({ id: `24010${n}-000000`, status: "ok", revision: "0123456789abcdef0123456789abcdef01234567", time: "2024-01-01T00:00:00.000Z" }));
  writeFileSync(`${paths(host).meta}/releases.log`, `${entries.join("\n")}\n`);
}

/** Settles `promise`, or says it is still waiting after `ms`: a host left waiting forever fails the test instead of hanging it. */
function settled<T>(promise: Promise<T>, ms = 5000): Promise<T | "still waiting"> {
  return Promise.race([promise, new Promise<"still waiting">((resolve) => setTimeout(() => resolve("still waiting"), ms))]);
}

describe("SessionLocks.inspect", () => {
  it("reads a release log bigger than what a command's output keeps, locking or not", async () => {
    for (const locking of [false, true]) {
      longLog("a");
      const state = await new SessionLocks("deploy", "d1", "ann", locking).inspect("a", "a", 0, cutting("a", 100), paths("a"), {});
      expect([...state.log.keys()]).toEqual(["240101-000000", "240102-000000", "240103-000000"]);
      rmSync(paths("a").root, { recursive: true });
    }
  });

  it("refuses a state that came back cut, instead of misreading it", async () => {
    for (const locking of [false, true]) {
      longLog("a");
      const error = await rejection(new SessionLocks("deploy", "d1", "ann", locking).inspect("a", "a", 0, cutting("a", 100, false), paths("a"), {}));
      expect(error).toMatchObject({ code: "E_HOST_STATE", host: "a", hint: "keep its last lines: tail -n 1000 releases.log > releases.log.new && mv releases.log.new releases.log" });
      expect(error.message).toMatch(new RegExp(`^the release log ${paths("a").meta}/releases\\.log is too big to read \\(\\d{3} bytes of state\\)$`));
      rmSync(paths("a").root, { recursive: true });
    }
  });

  it("reads and locks a host once for all its targets", async () => {
    const remote = localRemote("a");
    const locks = new SessionLocks("deploy", "d1", "ann", true);
    const [web, worker] = await Promise.all([locks.inspect("a", "a", 0, remote, paths("a"), {}), locks.inspect("a", "a", 1, remote, paths("a"), {})]);
    expect(worker).toBe(web);
    expect(remote.commands).toHaveLength(1);
  });

  it("writes lock_ttl seconds, or an hour, as the lock's lifetime", async () => {
    const lifetime = () => {
      const info = JSON.parse(readFileSync(`${paths("a").meta}/lock/info`, "utf8")) as { time: string; expires: string };
      return (Date.parse(info.expires) - Date.parse(info.time)) / 1000;
    };
    await new SessionLocks("deploy", "d1", "ann", true).inspect("a", "a", 0, localRemote("a"), paths("a"), { lock_ttl: 60 });
    expect(lifetime()).toBe(60);
    rmSync(paths("a").root, { recursive: true });
    await new SessionLocks("deploy", "d1", "ann", true).inspect("a", "a", 0, localRemote("a"), paths("a"), {});
    expect(lifetime()).toBe(3600);
  });

  it("refuses the other hosts when the first is locked by another run", async () => {
    lockedByOther("a");
    const locks = new SessionLocks("rollback", "d1", "ann", true);
    const later = settled(locks.inspect("b", "b", 1, localRemote("b"), paths("b"), {}).catch((error: unknown) => error));
    expect((await rejection(locks.inspect("a", "a", 0, localRemote("a"), paths("a"), {}))).code).toBe("E_LOCKED");
    const error = (await later) as FapError;
    expect(error).toMatchObject({ code: "E_DEPLOY_FAILED", host: "b", message: "not started: the first host refused the rollback" });
    expect(existsSync(paths("b").root)).toBe(false);
  });

  it("goes on with the other hosts when a later one is locked", async () => {
    lockedByOther("b");
    const locks = new SessionLocks("deploy", "d1", "ann", true);
    await locks.inspect("a", "a", 0, localRemote("a"), paths("a"), {});
    expect((await rejection(locks.inspect("b", "b", 1, localRemote("b"), paths("b"), {}))).code).toBe("E_LOCKED");
    await locks.inspect("c", "c", 2, localRemote("c"), paths("c"), {});
    expect(existsSync(`${paths("c").meta}/lock/info`)).toBe(true);
  });
});

describe("SessionLocks.unlessFirstFails", () => {
  it("refuses the other hosts when the first could not be opened", async () => {
    const locks = new SessionLocks("deploy", "d1", "ann", true);
    const later = settled(locks.inspect("b", "b", 1, localRemote("b"), paths("b"), {}).catch((error: unknown) => error));
    const unreachable = new FapError("E_SSH_CONNECT", "a: connection refused");
    await expect(locks.unlessFirstFails(0, () => Promise.reject(unreachable))).rejects.toBe(unreachable);
    expect(await later).toMatchObject({ code: "E_DEPLOY_FAILED", message: "not started: the first host refused the deploy" });
  });

  it("goes on with the other hosts when a later one could not be opened", async () => {
    const locks = new SessionLocks("deploy", "d1", "ann", true);
    expect(await locks.unlessFirstFails(0, () => locks.inspect("a", "a", 0, localRemote("a"), paths("a"), {}))).toMatchObject({ releases: [] });
    await expect(locks.unlessFirstFails(1, () => Promise.reject(new Error("unreachable")))).rejects.toThrow("unreachable");
    await locks.unlessFirstFails(2, () => locks.inspect("c", "c", 2, localRemote("c"), paths("c"), {}));
    expect(existsSync(`${paths("c").meta}/lock/info`)).toBe(true);
  });
});

describe("SessionLocks.releaseAll", () => {
  it("frees the locks this run took, and the directories it made for them, but no other run's", async () => {
    lockedByOther("b");
    const locks = new SessionLocks("deploy", "d1", "ann", true);
    const b = localRemote("b");
    await locks.inspect("a", "a", 0, localRemote("a"), paths("a"), {});
    await rejection(locks.inspect("b", "b", 1, b, paths("b"), {}));
    await locks.releaseAll();
    expect(existsSync(paths("a").root)).toBe(false);
    expect(existsSync(`${paths("b").meta}/lock/info`)).toBe(true);
    // Not even a round trip to a host whose lock it did not take.
    expect(b.commands).toHaveLength(1);
  });
});
