import { describe, expect, it } from "vitest";
import type { HostContext } from "../../src/context.js";
import { canaryHosts } from "../../src/flows/_publish.js";

/** Only what canaryHosts reads: the host, whether it is its role's primary, and `canary`. */
function targets(canary: number, primaries: string[], hosts: string[]): HostContext[] {
  return hosts.map((host) => ({ host, primary: primaries.includes(host), config: { canary } }) as unknown as HostContext);
}

describe("canaryHosts", () => {
  it("takes each role's primary first, then the others in config order", () => {
    const all = targets(3, ["web3", "job1"], ["web1", "web2", "web3", "job1", "job2"]);
    expect(canaryHosts(all).map((ctx) => ctx.host)).toEqual(["web3", "job1", "web1"]);
  });

  it("is empty when canary is 0, and every host when it is as large", () => {
    expect(canaryHosts(targets(0, ["a"], ["a", "b"]))).toEqual([]);
    expect(canaryHosts(targets(5, ["a"], ["a", "b"])).map((ctx) => ctx.host)).toEqual(["a", "b"]);
  });
});
