import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FapError } from "@fap/core/internal";
import { retryDropped } from "../src/retry-dropped.js";

// retryDropped is only reached through real connections (remote.integration.test.ts); these
// check its counting and timing with an `open` that fails as a dropped connect does. The waits
// are the ones it asks for, with Math.random fixed: measured ones run late by any amount on a
// loaded machine (a timer set for 40 ms fires 70 ms later while CI runs sshd tests alongside).
const { slept } = vi.hoisted(() => ({ slept: [] as number[] }));
vi.mock("node:timers/promises", async (importOriginal) => ({
  ...(await importOriginal<typeof import("node:timers/promises")>()),
  setTimeout: async (ms: number) => void slept.push(ms),
}));

beforeEach(() => {
  slept.length = 0;
});

afterEach(() => {
  vi.restoreAllMocks();
});
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
    // 40, 80, then 160 capped at 100.
    for (const [random, waits] of [[0, [20, 40, 50]], [0.5, [30, 60, 75]], [0.999, [39.98, 79.96, 99.95]]] as const) {
      vi.spyOn(Math, "random").mockReturnValue(random);
      slept.length = 0;
      const { open, calls } = opener(3);
      expect(await retryDropped(open, { attempts: 5, firstDelayMs: 40, maxDelayMs: 100 })).toBe("connected");
      expect(calls).toHaveLength(4);
      expect(slept.map((ms) => Number(ms.toFixed(2)))).toEqual(waits);
    }
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
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const { open } = opener(7);
    expect(await retryDropped(open)).toBe("connected");
    // 100 ms doubling to 2 s, seven waits: eight connects in all.
    expect(slept).toEqual([75, 150, 300, 600, 1200, 1500, 1500]);
    const error = await retryDropped(opener(8).open).catch((e: unknown) => e);
    expect(error).toMatchObject({ details: { attempts: 8 } });
  });
});
