import { describe, expect, it } from "vitest";
import { CORE_KEYS } from "../../src/config/core-keys.js";
import { filterHosts } from "../../src/config/filter-hosts.js";
import { selectTargets } from "../../src/config/select.js";
import type { FapConfig } from "../../src/config/types.js";

const props = (config: FapConfig, stage = "production") =>
  selectTargets(config, CORE_KEYS, { stage }).map(({ role, host, primary, labels }) => ({ role, host, primary, labels: { ...labels } }));

describe("host entries", () => {
  it("makes a role's first host its primary when none says primary: true (strings, as Fapistrano writes them)", () => {
    const config: FapConfig = { stage_role_configs: { production: { web: { hosts: ["web1", "web2"] }, worker: { hosts: "worker1" } } } };
    expect(props(config)).toEqual([
      { role: "web", host: "web1", primary: true, labels: {} },
      { role: "web", host: "web2", primary: false, labels: {} },
      { role: "worker", host: "worker1", primary: true, labels: {} },
    ]);
  });

  it("takes { host, primary, labels } objects beside strings", () => {
    const config: FapConfig = {
      stage_role_configs: {
        production: { db: { hosts: ["db1", { host: "db2", primary: true, labels: { zone: "b", replicas: 2 } as never }] } },
      },
    };
    expect(props(config)).toEqual([
      { role: "db", host: "db1", primary: false, labels: {} },
      { role: "db", host: "db2", primary: true, labels: { zone: "b", replicas: "2" } },
    ]);
  });

  it.each([
    [[{ host: "db1", primary: true }, { host: "db2", primary: true }], "stage_role_configs.production.db: db1 and db2 both say primary: true; a role has one primary host"],
    [[{ host: "db1", primay: true }], "stage_role_configs.production.db.hosts[0] has an unknown field 'primay'"],
    [[{ primary: true }], "stage_role_configs.production.db.hosts[0] needs host: NAME"],
    [["db1", { host: "db2", primary: "yes" }], "stage_role_configs.production.db.hosts[1] primary must be true or false"],
    [[{ host: "db1", labels: ["a"] }], "stage_role_configs.production.db.hosts[0] labels must be a map of name to text"],
    [[["db1"]], "stage_role_configs.production.db.hosts[0] must be a host name or { host, primary, labels }, got a list"],
  ])("refuses %j with one clear E_CONFIG line", (hosts, message) => {
    const config = { stage_role_configs: { production: { db: { hosts } } } } as unknown as FapConfig;
    expect(() => props(config)).toThrow(expect.objectContaining({ code: "E_CONFIG", message }));
  });

  it("gives a role whose primary --hosts left out its first kept host as primary for the run", () => {
    const config: FapConfig = { stage_role_configs: { production: { db: { hosts: ["db1", "db2", "db3"] }, web: { hosts: ["web1"] } } } };
    const targets = selectTargets(config, CORE_KEYS, { stage: "production" });
    expect(filterHosts(targets, { excludeHosts: ["db1"] }).map((t) => [t.host, t.primary])).toEqual([["db2", true], ["db3", false], ["web1", true]]);
    expect(filterHosts(targets, { hosts: ["db3", "db1"] }).map((t) => [t.host, t.primary])).toEqual([["db1", true], ["db3", false]]);
  });
});
