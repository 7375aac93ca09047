import { describe, expect, it } from "vitest";
// @ts-expect-error: the bench is plain JavaScript, without declarations
import { busyShare, machineBusyMs } from "../../bench/lib/machine-cpu.mjs";

describe("the bench's machine CPU", () => {
  it("counts this process's own busy time among every process's", () => {
    const before = machineBusyMs() as number;
    const cpuBefore = process.cpuUsage();
    const until = Date.now() + 300;
    while (Date.now() < until); // spin: CPU, not sleep
    const spent = process.cpuUsage(cpuBefore);
    const busy = (machineBusyMs() as number) - before;
    // /proc/stat counts in ticks of 10 ms: a tick or two may fall either side.
    expect(busy).toBeGreaterThanOrEqual((spent.user + spent.system) / 1000 - 30);
  });

  it("gives the share of the cores busy", () => {
    expect(busyShare(1500, 1000, 2)).toBe(0.75);
  });
});
