import { describe, expect, it } from "vitest";
import { filterHosts } from "../../src/config/filter-hosts.js";
import type { Target } from "../../src/config/select.js";

const targets: Target[] = ["a", "b", "c"].map((host) => ({ stage: "production", role: "web", host, primary: host === "a", labels: {}, layers: [] }));
const hosts = (list: Target[]) => list.map((t) => t.host);

describe("filterHosts", () => {
  it.each([
    [{}, ["a", "b", "c"]],
    [{ hosts: ["b", "c"] }, ["b", "c"]],
    [{ excludeHosts: ["b"] }, ["a", "c"]],
    [{ hosts: ["a", "b"], excludeHosts: ["b"] }, ["a"]],
  ])("%j → %j", (selection, expected) => {
    expect(hosts(filterHosts(targets, selection))).toEqual(expected);
  });

  it("refuses a host the stage/role does not have, and an empty result", () => {
    expect(() => filterHosts(targets, { hosts: ["d"] })).toThrow("host 'd' is not in the selected stage/role");
    expect(() => filterHosts(targets, { excludeHosts: ["a", "b", "c"] })).toThrow("no host is left after --hosts/--exclude-hosts");
  });
});
