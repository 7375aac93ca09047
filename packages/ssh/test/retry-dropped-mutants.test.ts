import { describe, expect, it } from "vitest";
import { FapError } from "@fap/core/internal";
import { retryDropped } from "../src/retry-dropped.js";

// retryDropped is only reached through real connections (remote.integration.test.ts); these
// check its counting and timing with an `open` that fails as a dropped connect does.
const dropped = () => new FapError("E_SSH_CONNECT", "host1: connection closed before the handshake", { host: "host1", hint: "try later", details: { dropped: true } });

function opener(failures: number, error: () => Error = dropped): { open: () => Promise<string>; calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    open: async () => {
      calls.push(Date.now());
      if (calls.length <= failures) throw error();
      return "connected";
    },
  };
}

describe("retryDropped", () => {
  it("tries again after a dropped connect, waiting half to all of a doubling delay", async () => {
    const { open, calls } = opener(3);
    expect(await retryDropped(open, { attempts: 5, firstDelayMs: 40, maxDelayMs: 100 })).toBe("connected");
    expect(calls).toHaveLength(4);
    const waits = calls.slice(1).map((at, i) => at - calls[i]!);
    // 40, 80, then 160 capped at 100: each wait between half and all of it (timers may fire a ms early).
    expect(waits[0]).toBeGreaterThanOrEqual(19);
    expect(waits[0]).toBeLessThan(40 + 30);
    expect(waits[1]).toBeGreaterThanOrEqual(39);
    expect(waits[2]).toBeGreaterThanOrEqual(49);
    expect(waits[2]).toBeLessThan(100 + 60);
  });

  it("gives up after `attempts` connects with the same error, saying how often and how long", async () => {
    const { open, calls } = opener(10);
    const error = (await retryDropped(open, { attempts: 3, firstDelayMs: 1, maxDelayMs: 1 }).catch((e: unknown) => e)) as FapError;
    expect(calls).toHaveLength(3);
    expect(error).toBeInstanceOf(FapError);
    expect(error.message).toMatch(/^host1: connection closed before the handshake \(3 tries in 0\.\d s\)$/);
    expect(error).toMatchObject({ code: "E_SSH_CONNECT", host: "host1", hint: "try later", details: { dropped: true, attempts: 3 } });
  });

  it("does not retry any other error", async () => {
    const other = new FapError("E_SSH_AUTH", "denied", { details: { dropped: false } });
    const { open, calls } = opener(10, () => other);
    await expect(retryDropped(open, { attempts: 5, firstDelayMs: 1, maxDelayMs: 1 })).rejects.toBe(other);
    expect(calls).toHaveLength(1);
    const plain = opener(10, () => new Error("boom"));
    await expect(retryDropped(plain.open, { attempts: 5, firstDelayMs: 1, maxDelayMs: 1 })).rejects.toThrow("boom");
    expect(plain.calls).toHaveLength(1);
  });

  it("retries by default for a few seconds", async () => {
    const { open, calls } = opener(1);
    expect(await retryDropped(open)).toBe("connected");
    const wait = calls[1]! - calls[0]!;
    expect(wait).toBeGreaterThanOrEqual(49);
    expect(wait).toBeLessThan(100 + 60);
  });
});
