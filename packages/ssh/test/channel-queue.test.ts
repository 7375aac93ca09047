import { describe, expect, it } from "vitest";
import { ChannelQueue } from "../src/channel-queue.js";

describe("ChannelQueue", () => {
  it("lets `limit` through and queues the rest first come first served", async () => {
    const queue = new ChannelQueue(2);
    const order: number[] = [];
    const a = await queue.acquire();
    const b = await queue.acquire();
    const waiting = [3, 4].map((n) => queue.acquire().then((release) => (order.push(n), release)));
    expect(queue.size).toEqual({ active: 2, waiting: 2, limit: 2 });
    a();
    a(); // releasing twice gives back one slot only
    const c = await waiting[0]!;
    expect(order).toEqual([3]);
    b();
    const d = await waiting[1]!;
    expect(order).toEqual([3, 4]);
    c();
    d();
    expect(queue.size).toEqual({ active: 0, waiting: 0, limit: 2 });
  });

  it("lowering the limit lets the excess drain first", async () => {
    const queue = new ChannelQueue(3);
    const held = await Promise.all([queue.acquire(), queue.acquire(), queue.acquire()]);
    let got = false;
    const next = queue.acquire().then((r) => ((got = true), r));
    queue.lower(1);
    held[0]!();
    held[1]!();
    await Promise.resolve();
    expect(got).toBe(false);
    held[2]!();
    (await next)();
    expect(got).toBe(true);
    expect(queue.size.active).toBe(0);
  });
});
