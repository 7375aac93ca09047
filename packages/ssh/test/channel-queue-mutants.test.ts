import { setTimeout as tick } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { ChannelQueue } from "../src/channel-queue.js";

// Checks the mutation run (npm run test:mutation) found untested: the limit's validation, how
// far `lower` goes, idle time, and that a release above a lowered limit gives its slot away.
describe("ChannelQueue limits", () => {
  it.each([0, -1, Number.NaN])("refuses a limit of %s", (limit) => {
    expect(() => new ChannelQueue(limit)).toThrow(new RangeError(`channel limit must be at least 1, got ${limit}`));
  });

  it("takes a limit of 1", async () => {
    const queue = new ChannelQueue(1);
    (await queue.acquire())();
    expect(queue.size).toEqual({ active: 0, waiting: 0, limit: 1 });
  });

  it("lowers to the server's limit, never below 1 and never up", () => {
    const queue = new ChannelQueue(5);
    queue.lower(8);
    expect(queue.size.limit).toBe(5);
    queue.lower(3);
    expect(queue.size.limit).toBe(3);
    queue.lower(0);
    expect(queue.size.limit).toBe(1);
  });

  it("a release above a lowered limit frees the slot instead of handing it on", async () => {
    const queue = new ChannelQueue(2);
    const [a, b] = [await queue.acquire(), await queue.acquire()];
    let got = false;
    const next = queue.acquire().then((release) => ((got = true), release));
    queue.lower(1);
    a();
    await tick(5);
    expect(got).toBe(false);
    expect(queue.size).toEqual({ active: 1, waiting: 1, limit: 1 });
    b();
    (await next)();
    expect(queue.size).toEqual({ active: 0, waiting: 0, limit: 1 });
  });
});

describe("ChannelQueue idle time", () => {
  it("is 0 while a channel is open or waiting, and counts from the last release", async () => {
    const queue = new ChannelQueue(1);
    const made = Date.now();
    expect(queue.idleMs(made + 1000)).toBeGreaterThanOrEqual(1000 - 50);
    expect(queue.idleMs(made + 1000)).toBeLessThanOrEqual(1000);
    const release = await queue.acquire();
    expect(queue.idleMs(made + 1000)).toBe(0);
    const waiting = queue.acquire();
    release();
    const second = await waiting;
    expect(queue.idleMs(made + 1000)).toBe(0);
    second();
    const released = Date.now();
    expect(queue.idleMs(released + 500)).toBeGreaterThanOrEqual(500 - 50);
    expect(queue.idleMs(released + 500)).toBeLessThanOrEqual(500);
  });

});
