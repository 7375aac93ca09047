import { describe, expect, it } from "vitest";
import { checkFlagSeconds, checkTimerMs, DURATIONS, MAX_TIMER_SECONDS, secondsWithin } from "../../src/config/durations.js";
import { FapError } from "../../src/errors.js";

describe("durations", () => {
  it("stops at Node's timer limit, where a longer timeout would fire at once", () => {
    expect(MAX_TIMER_SECONDS * 1000).toBeLessThanOrEqual(2 ** 31 - 1);
    expect((MAX_TIMER_SECONDS + 1) * 1000).toBeGreaterThan(2 ** 31 - 1);
    expect(secondsWithin(DURATIONS.command_timeout)(MAX_TIMER_SECONDS)).toBeUndefined();
    expect(secondsWithin(DURATIONS.command_timeout)(MAX_TIMER_SECONDS + 1)).toMatch(/at most 2147483/);
  });

  it("keeps every lock_ttl inside Date's range", () => {
    expect(() => new Date(Date.now() + DURATIONS.lock_ttl.max * 1000).toISOString()).not.toThrow();
  });

  it("checks flags and plugins' timeouts, naming them and their range", () => {
    expect(checkFlagSeconds("--batch-wait", "0")).toBe(0);
    expect(() => checkFlagSeconds("--batch-wait", "3000000")).toThrow(/^--batch-wait 3000000: expected a number of seconds at least 0 and at most 2147483/);
    expect(() => checkFlagSeconds("--batch-wait", "")).toThrow(FapError);
    expect(checkTimerMs(1000, "web1")).toBe(1000);
    for (const bad of [0, -1, Number.NaN, 2 ** 31]) expect(() => checkTimerMs(bad, "web1")).toThrow(/timeoutMs/);
  });
});
