import { describe, expect, it } from "vitest";
import { CORE_KEYS } from "../../src/config/core-keys.js";
import { filterHosts } from "../../src/config/filter-hosts.js";
import { selectTargets, type Target } from "../../src/config/select.js";
import type { FapConfig } from "../../src/config/types.js";
import { thrown } from "../../../../test/thrown.js";

// Checks the mutation run (npm run test:mutation) found untested: the hints of the selection's
// errors, where hosts come from, and host entries' edges.
const pick = (targets: Target[]) => targets.map((t) => `${t.stage}.${t.role}@${t.host}`);

describe("selectTargets: what each refusal tells the user to do", () => {
  it("shows how to add a stage when there is none", () => {
    const error = thrown(() => selectTargets({ stage_role_configs: {} }, CORE_KEYS, { stage: "production" }));
    expect(error.hint).toBe("add stage_role_configs: { production: { web: { hosts: [...] } } }");
  });

  it("refuses a config without stage_role_configs the same way", () => {
    const error = thrown(() => selectTargets({} as FapConfig, CORE_KEYS, { stage: "production" }));
    expect(error.message).toBe("the config defines no stages");
  });

  it("asks to check the spelling of an unknown stage", () => {
    const config: FapConfig = { stage_role_configs: { production: { web: { hosts: "a" } } } };
    const error = thrown(() => selectTargets(config, CORE_KEYS, { stage: "prod" }));
    expect(error.hint).toBe("check the spelling, or add the stage under stage_role_configs");
  });

  it("takes no Object.prototype member for a stage", () => {
    const config: FapConfig = { stage_role_configs: { production: { web: { hosts: "a" } } } };
    expect(thrown(() => selectTargets(config, CORE_KEYS, { stage: "toString" })).message).toBe("unknown stage 'toString'; stages: production");
  });

  it("names the role without hosts and where to add them", () => {
    const config: FapConfig = { stage_role_configs: { production: { web: { hosts: "a" }, worker: { path: "/srv/w" } } } };
    const error = thrown(() => selectTargets(config, CORE_KEYS, { stage: "production" }));
    expect(error.message).toBe("production.worker has no hosts");
    expect(error.hint).toBe("add hosts: [...] to stage_role_configs.production.worker");
  });

  it("points an unknown role to -s STAGE alone", () => {
    const config: FapConfig = { stage_role_configs: { production: { web: { hosts: "a" } } } };
    const error = thrown(() => selectTargets(config, CORE_KEYS, { stage: "production", role: "db" }));
    expect(error.message).toBe("unknown role 'db' in stage 'production'; roles: web");
    expect(error.hint).toBe("check the spelling, or pass -s STAGE alone to deploy every role of the stage");
  });

  it("points a role no stage has to -s STAGE alone too", () => {
    const config: FapConfig = { stage_role_configs: { production: { web: { hosts: "a" } }, staging: { web: { hosts: "b" } } } };
    const error = thrown(() => selectTargets(config, CORE_KEYS, { role: "db" }));
    expect(error.code).toBe("E_NO_ROLE");
    expect(error.message).toBe("no stage has a role 'db'; roles: web");
    expect(error.hint).toBe("check the spelling, or pass -s STAGE alone to deploy every role of the stage");
  });

  it("says a stage without roles has none, rather than naming an empty role", () => {
    const config: FapConfig = { stage_role_configs: { production: { keep_releases: 3 }, staging: { web: { hosts: "a" } } } };
    const error = thrown(() => selectTargets(config, CORE_KEYS, { stage: "production" }));
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toBe("stage 'production' has no roles");
    expect(error.hint).toBe("add a role to it: stage_role_configs: { production: { web: { hosts: [...] } } }");
  });

  it("says so too when a role of a stage without roles is asked for", () => {
    const config: FapConfig = { stage_role_configs: { production: {} } };
    expect(thrown(() => selectTargets(config, CORE_KEYS, { stage: "production", role: "web" })).message).toBe("stage 'production' has no roles");
  });

  it("passes over a stage without roles when only a role is given", () => {
    const config: FapConfig = { stage_role_configs: { production: { keep_releases: 3 }, staging: { web: { hosts: "a" } } } };
    expect(pick(selectTargets(config, CORE_KEYS, { role: "web" }))).toEqual(["staging.web@a"]);
  });

  it("shows how a stage's roles are written when the stage is not a map", () => {
    const bad = { stage_role_configs: { production: "web1" } } as unknown as FapConfig;
    expect(thrown(() => selectTargets(bad, CORE_KEYS, { stage: "production" })).hint).toBe(
      "write stage_role_configs: { production: { web: { hosts: [...] } } }",
    );
  });

  it("explains roles and keys for an entry that is neither", () => {
    const typo: FapConfig = { stage_role_configs: { production: { keep_relases: 3, web: { hosts: ["a"] } } } };
    expect(thrown(() => selectTargets(typo, CORE_KEYS, { stage: "production" })).hint).toBe(
      "roles are maps like web: { hosts: [...] }; check the key's spelling or load the plugin that reads it",
    );
  });
});

describe("selectTargets: where a role's hosts come from", () => {
  it("takes the stage's hosts over the top level's", () => {
    const config: FapConfig = { hosts: ["top1"], stage_role_configs: { production: { hosts: ["stage1"], web: {} } } };
    expect(pick(selectTargets(config, CORE_KEYS, { stage: "production" }))).toEqual(["production.web@stage1"]);
  });

  it("takes the role's hosts over the stage's and the top level's", () => {
    const config: FapConfig = { hosts: ["top1"], stage_role_configs: { production: { hosts: ["stage1"], web: { hosts: ["role1"] } } } };
    expect(pick(selectTargets(config, CORE_KEYS, { stage: "production" }))).toEqual(["production.web@role1"]);
  });

  it("reads hosts: null (blank in YAML) as no hosts", () => {
    const config = { hosts: null, stage_role_configs: { production: { web: {} } } } as unknown as FapConfig;
    expect(thrown(() => selectTargets(config, CORE_KEYS, { stage: "production" })).message).toBe("production.web has no hosts");
  });

  it("gives each target the top, stage and role layers, and its host's labels", () => {
    const config: FapConfig = {
      app_name: "shop",
      stage_role_configs: { production: { keep_releases: 2, web: { hosts: [{ host: "a", labels: { zone: "x" } }] } } },
    };
    const [target] = selectTargets(config, CORE_KEYS, { stage: "production", role: "web" });
    expect(target).toEqual({
      stage: "production",
      role: "web",
      host: "a",
      primary: true,
      labels: { zone: "x" },
      layers: [
        { name: "top", label: "top level", values: { app_name: "shop" } },
        { name: "stage", label: "stage production", values: { keep_releases: 2 } },
        { name: "role", label: "role production.web", values: { hosts: [{ host: "a", labels: { zone: "x" } }] } },
      ],
    });
  });
});

describe("host entries: edges", () => {
  const hostsOf = (hosts: unknown) =>
    selectTargets({ stage_role_configs: { production: { web: { hosts } } } } as unknown as FapConfig, CORE_KEYS, { stage: "production" });
  const hint = "write a host as a name (web1, deploy@web1:2222) or as { host: web1, primary: true, labels: { zone: a } }";

  it("takes a number written as a host as its text", () => {
    expect(hostsOf([1234]).map((t) => t.host)).toEqual(["1234"]);
  });

  it.each<[unknown, string]>([
    [[""], "stage_role_configs.production.web.hosts[0] is empty"],
    [[{ host: "" }], "stage_role_configs.production.web.hosts[0] needs host: NAME"],
    [[{ host: 5 }], "stage_role_configs.production.web.hosts[0] needs host: NAME"],
    [["a", true], "stage_role_configs.production.web.hosts[1] must be a host name or { host, primary, labels }, got boolean"],
    [["a", null], "stage_role_configs.production.web.hosts[1] must be a host name or { host, primary, labels }, got object"],
    [[{ host: "a", labels: "zone=a" }], "stage_role_configs.production.web.hosts[0] labels must be a map of name to text"],
    [[{ host: "a", labels: { zone: { name: "a" } } }], "stage_role_configs.production.web.hosts[0] labels.zone must be text, a number or true/false"],
    [[{ host: "a", labels: { zone: null } }], "stage_role_configs.production.web.hosts[0] labels.zone must be text, a number or true/false"],
  ])("refuses %j, showing how a host is written", (hosts, message) => {
    const error = thrown(() => hostsOf(hosts));
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toBe(message);
    expect(error.hint).toBe(hint);
  });

  it("says which one host to keep primary: true on when two say so", () => {
    const error = thrown(() => hostsOf([{ host: "a", primary: true }, { host: "b", primary: true }]));
    expect(error.message).toBe("stage_role_configs.production.web: a and b both say primary: true; a role has one primary host");
    expect(error.hint).toBe("keep primary: true on one host of the role (without it the role's first host is its primary)");
  });

  it("takes a label that is true/false as its text", () => {
    expect(hostsOf([{ host: "a", labels: { canary: true, old: false } }])[0]?.labels).toEqual({ canary: "true", old: "false" });
  });

  it("makes the first host primary when every host says primary: false", () => {
    expect(hostsOf([{ host: "a", primary: false }, { host: "b", primary: false }]).map((t) => t.primary)).toEqual([true, false]);
  });

  it("lets a later host say primary: true, leaving the first a plain host", () => {
    expect(hostsOf(["a", { host: "b", primary: true }]).map((t) => t.primary)).toEqual([false, true]);
  });

  it("keeps the labels from being changed by whoever reads them", () => {
    const [target] = hostsOf([{ host: "a", labels: { zone: "x" } }]);
    expect(Object.isFrozen(target?.labels)).toBe(true);
  });
});

describe("filterHosts: edges", () => {
  const config: FapConfig = {
    stage_role_configs: {
      production: { web: { hosts: ["web1", "web2"] }, worker: { hosts: ["job1"] } },
      staging: { web: { hosts: ["web2", "web3"] } },
    },
  };

  it("lists the selected hosts in the hint when a host is not among them", () => {
    const targets = selectTargets(config, CORE_KEYS, { stage: "production" });
    const error = thrown(() => filterHosts(targets, { hosts: ["web9"] }));
    expect(error.code).toBe("E_USAGE");
    expect(error.hint).toBe("hosts: web1, web2, job1");
    expect(thrown(() => filterHosts(targets, { excludeHosts: ["web9"] })).message).toBe("host 'web9' is not in the selected stage/role");
  });

  it("lists the selected hosts in the hint when none is left", () => {
    const targets = selectTargets(config, CORE_KEYS, { stage: "production" });
    const error = thrown(() => filterHosts(targets, { excludeHosts: ["web1", "web2", "job1"] }));
    expect(error.code).toBe("E_USAGE");
    expect(error.hint).toBe("hosts: web1, web2, job1");
  });

  it("keeps the primary a host says it is when --hosts keeps it, whatever the order", () => {
    const primaryLast: FapConfig = { stage_role_configs: { production: { web: { hosts: ["web1", { host: "web2", primary: true }, "web3"] } } } };
    const targets = selectTargets(primaryLast, CORE_KEYS, { stage: "production" });
    expect(filterHosts(targets, { hosts: ["web1", "web2"] }).map((t) => [t.host, t.primary])).toEqual([["web1", false], ["web2", true]]);
    expect(filterHosts(targets, { excludeHosts: ["web3"] }).map((t) => [t.host, t.primary])).toEqual([["web1", false], ["web2", true]]);
  });

  it("picks a primary per stage and role: a role of two stages has one in each", () => {
    const targets = selectTargets(config, CORE_KEYS, { role: "web" });
    expect(filterHosts(targets, { excludeHosts: ["web1"] }).map((t) => [t.stage, t.host, t.primary])).toEqual([
      ["production", "web2", true],
      ["staging", "web2", true],
      ["staging", "web3", false],
    ]);
  });
});
