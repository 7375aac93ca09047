import { describe, expect, it } from "vitest";
import { batchSize, splitBatches, waitBetweenBatches } from "../../src/run/rollout.js";
import { thrown } from "../../../../test/thrown.js";

// Checks the mutation run (npm run test:mutation) found untested: the exact refusal of a bad
// --batch, the edges it accepts, and when the pause between batches is skipped.

describe("batchSize", () => {
  it("refuses a bad --batch saying what it takes", () => {
    const error = thrown(() => batchSize("2x", 4));
    expect([error.code, error.message, error.hint]).toEqual([
      "E_USAGE",
      "--batch 2x: expected a number of hosts or a percentage, e.g. 2 or 25%",
      "--batch 1 publishes one host at a time",
    ]);
    for (const bad of ["x2", "2 2", "%", "2%%", ""]) expect(() => batchSize(bad, 4), bad).toThrow(/^--batch/);
  });

  it("takes spaces around it, 1, 100% and a count above 100", () => {
    expect(batchSize(" 3 ", 10)).toBe(3);
    expect(batchSize("1", 10)).toBe(1);
    expect(batchSize("1%", 10)).toBe(1);
    expect(batchSize("100%", 10)).toBe(10);
    expect(batchSize("150", 10)).toBe(150);
    expect(batchSize("50%", 5)).toBe(2);
  });
});

describe("splitBatches", () => {
  it("gives no batch for no hosts, with or without --batch", () => {
    expect(splitBatches([], undefined)).toEqual([]);
    expect(splitBatches([], "2")).toEqual([]);
    // Every host was a canary: nothing is left to split, whatever the API caller's batch says.
    expect(splitBatches([], "2x")).toEqual([]);
  });

  it("gives a copy of the hosts as the one batch", () => {
    const hosts = ["a", "b"];
    const [batch] = splitBatches(hosts, undefined);
    expect(batch).toEqual(hosts);
    expect(batch).not.toBe(hosts);
  });
});

describe("waitBetweenBatches", () => {
  const timed = async (wait: Promise<void>) => {
    const started = Date.now();
    await wait;
    return Date.now() - started;
  };

  it("waits the time asked", async () => {
    expect(await timed(waitBetweenBatches(200, undefined))).toBeGreaterThanOrEqual(190);
  });

  it("does not wait when no time is asked, or after Ctrl-C; Ctrl-C ends a wait at once", async () => {
    expect(await timed(waitBetweenBatches(undefined, undefined))).toBeLessThan(150);
    expect(await timed(waitBetweenBatches(-5000, undefined))).toBeLessThan(150);
    expect(await timed(waitBetweenBatches(5000, AbortSignal.abort("SIGINT")))).toBeLessThan(1000);
    const controller = new AbortController();
    setTimeout(() => controller.abort("SIGINT"), 50);
    expect(await timed(waitBetweenBatches(5000, controller.signal))).toBeLessThan(2000);
  });
});
