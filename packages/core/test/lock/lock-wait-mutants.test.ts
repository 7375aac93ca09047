import { afterEach, describe, expect, it, vi } from "vitest";
import { FapError } from "../../src/errors.js";
import { createEvents } from "../../src/events.js";
import { retryWhileLocked, type LockWait } from "../../src/lock/lock-wait.js";
import { rejection } from "../../../../test/thrown.js";

// Checks the mutation run (npm run test:mutation) found untested: --lock-wait was tested only
// end to end. The clock (Date.now) is the test's, so a wait of minutes takes a second: each
// attempt moves it to the time the test gives; the real sleeps are the short ones that are left.

afterEach(() => vi.restoreAllMocks());

const locked = () => new FapError("E_LOCKED", "locked by ann@m (deploy d1, pid 7)", { host: "web1", hint: "wait for that run", details: { holder: "ann" } });

/** A wait of `ms` whose warnings are collected; attempt i sets the clock to `times[i]` (ms after the start) and fails as locked. */
function scripted(ms: number, times: number[], signal?: AbortSignal) {
  const start = 1_700_000_000_000;
  let clock = start;
  vi.spyOn(Date, "now").mockImplementation(() => clock);
  const warnings: string[] = [];
  const events = createEvents();
  events.on("log", (event) => warnings.push(`${event.host} ${event.level} ${event.message}`));
  const wait: LockWait = { ms, events, signal };
  let attempts = 0;
  const attempt = async (): Promise<string> => {
    clock = start + (times[attempts] ?? times.at(-1)! + 1000 * (attempts - times.length + 1));
    attempts++;
    throw locked();
  };
  return { wait, warnings, attempt, attempts: () => attempts };
}

describe("retryWhileLocked", () => {
  it("tries once, and throws the lock's error as it is, without --lock-wait or with 0", async () => {
    for (const wait of [undefined, { ms: 0, events: createEvents() }]) {
      let attempts = 0;
      const error = await rejection(retryWhileLocked("web1", wait, async () => (attempts++, Promise.reject(locked()))));
      expect(error.message).toBe("locked by ann@m (deploy d1, pid 7)");
      expect(attempts).toBe(1);
    }
    expect(await retryWhileLocked("web1", undefined, async () => "read")).toBe("read");
  });

  it("throws any other error at once", async () => {
    const { wait } = scripted(60_000, []);
    for (const error of [new Error("boom"), new FapError("E_CONNECTION_LOST", "gone")]) {
      let attempts = 0;
      await expect(retryWhileLocked("web1", wait, async () => (attempts++, Promise.reject(error)))).rejects.toBe(error);
      expect(attempts).toBe(1);
    }
  });

  it("says once that it waits, then every 10 s, and gives up at the limit with the lock's error", async () => {
    const run = scripted(10_100, [0, 9_999, 10_000, 10_100]);
    const error = await rejection(retryWhileLocked("web1", run.wait, run.attempt));
    expect(error).toMatchObject({
      code: "E_LOCKED",
      host: "web1",
      hint: "wait for that run",
      details: { holder: "ann" },
      message: "locked by ann@m (deploy d1, pid 7); still locked after waiting 10.1 s (--lock-wait)",
    });
    expect(run.attempts()).toBe(4);
    expect(run.warnings).toEqual([
      "web1 warn locked by ann@m (deploy d1, pid 7); waiting up to 10.1 s for it (--lock-wait)",
      "web1 warn still locked, waited 10 s of 10.1 s",
    ]);
  });

  it("returns what an attempt read once the lock is free, sleeping only what is left of the wait", async () => {
    const run = scripted(1234, [1200]);
    const started = performance.now();
    let attempts = 0;
    const read = await retryWhileLocked("web1", run.wait, () => (++attempts === 1 ? run.attempt() : Promise.resolve("read")));
    expect(read).toBe("read");
    expect(performance.now() - started).toBeLessThan(900);
    expect(run.warnings).toEqual(["web1 warn locked by ann@m (deploy d1, pid 7); waiting up to 1.2 s for it (--lock-wait)"]);
  });

  it("ends the wait at once on Ctrl-C, before or during a sleep", async () => {
    const before = new AbortController();
    before.abort("SIGTERM");
    const early = scripted(60_000, [0], before.signal);
    expect((await rejection(retryWhileLocked("web1", early.wait, early.attempt))).message).toBe("interrupted by SIGTERM");
    expect(early.attempts()).toBe(1);

    const during = new AbortController();
    const late = scripted(60_000, [0], during.signal);
    const started = performance.now();
    setTimeout(() => during.abort("SIGINT"), 50);
    const error = await rejection(retryWhileLocked("web1", late.wait, late.attempt));
    expect(error).toMatchObject({ code: "E_INTERRUPTED", message: "interrupted by SIGINT" });
    expect(late.attempts()).toBe(1);
    expect(performance.now() - started).toBeLessThan(900);
  });
});
