import { describe, expect, it } from "vitest";
import { CORE_KEYS } from "../../src/config/core-keys.js";
import { selectTargets, type Selection, type Target } from "../../src/config/select.js";
import type { FapConfig } from "../../src/config/types.js";
import { thrown } from "../../../../test/thrown.js";

const config: FapConfig = {
  app_name: "shop",
  plugins: [],
  stage_role_configs: {
    production: {
      keep_releases: 3,
      web: { hosts: ["web1", "web2"] },
      worker: { hosts: "worker1" },
    },
    staging: {
      hosts: ["staging1"],
      web: {},
      cron: { hosts: ["cron1"], keep_releases: 2 },
    },
  },
};

const pick = (targets: Target[]) => targets.map((t) => `${t.stage}.${t.role}@${t.host}`);

describe("selectTargets", () => {
  it.each<[string, Selection, string[]]>([
    ["stage and role", { stage: "production", role: "web" }, ["production.web@web1", "production.web@web2"]],
    ["stage only: every role", { stage: "production" }, ["production.web@web1", "production.web@web2", "production.worker@worker1"]],
    ["role only: every stage that has it", { role: "web" }, ["production.web@web1", "production.web@web2", "staging.web@staging1"]],
    ["role only, one stage has it", { role: "cron" }, ["staging.cron@cron1"]],
  ])("%s", (_name, selection, expected) => {
    expect(pick(selectTargets(config, CORE_KEYS, selection))).toEqual(expected);
  });

  it("needs a stage or a role, and lists the stages", () => {
    const error = thrown(() => selectTargets(config, CORE_KEYS, {}));
    expect(error.code).toBe("E_NO_STAGE");
    expect(error.message).toBe("no stage given; stages: production, staging");
    expect(error.hint).toBe("pass -s STAGE, e.g. -s production");
  });

  it("names an unknown stage and lists the known ones", () => {
    const error = thrown(() => selectTargets(config, CORE_KEYS, { stage: "prod", role: "web" }));
    expect(error.code).toBe("E_NO_STAGE");
    expect(error.message).toBe("unknown stage 'prod'; stages: production, staging");
  });

  it("names an unknown role in a stage and lists its roles", () => {
    const error = thrown(() => selectTargets(config, CORE_KEYS, { stage: "production", role: "cron" }));
    expect(error.code).toBe("E_NO_ROLE");
    expect(error.message).toBe("unknown role 'cron' in stage 'production'; roles: web, worker");
  });

  it("names a role no stage has and lists every role", () => {
    const error = thrown(() => selectTargets(config, CORE_KEYS, { role: "db" }));
    expect(error.code).toBe("E_NO_ROLE");
    expect(error.message).toBe("no stage has a role 'db'; roles: web, worker, cron");
  });

  it("takes a known key in a stage as a stage-wide value, and a map as a role", () => {
    const [web1] = selectTargets(config, CORE_KEYS, { stage: "production", role: "web" });
    expect(web1?.layers.map((l) => l.label)).toEqual(["top level", "stage production", "role production.web"]);
    expect(web1?.layers[1]?.values).toEqual({ keep_releases: 3 });
    expect(web1?.layers[2]?.values).toEqual({ hosts: ["web1", "web2"] });
  });

  it("keeps plugins and stage_role_configs out of the top-level values", () => {
    const [target] = selectTargets(config, CORE_KEYS, { stage: "production", role: "worker" });
    expect(target?.layers[0]).toEqual({ name: "top", label: "top level", values: { app_name: "shop" } });
  });

  it("takes a map under a key a plugin declares as a stage value, not a role", () => {
    const withHooks: FapConfig = {
      stage_role_configs: { production: { hooks: { updated: "make" }, web: { hosts: ["a"] } } },
    };
    const targets = selectTargets(withHooks, CORE_KEYS, { stage: "production" });
    expect(pick(targets)).toEqual(["production.web@a"]);
    expect(targets[0]?.layers[1]?.values).toEqual({ hooks: { updated: "make" } });
  });

  it("accepts one host as a single string", () => {
    expect(pick(selectTargets(config, CORE_KEYS, { stage: "production", role: "worker" }))).toEqual(["production.worker@worker1"]);
  });

  it("falls back to the stage's hosts, then the top level's", () => {
    expect(pick(selectTargets(config, CORE_KEYS, { stage: "staging", role: "web" }))).toEqual(["staging.web@staging1"]);
    const top: FapConfig = { hosts: "everywhere", stage_role_configs: { production: { web: {} } } };
    expect(pick(selectTargets(top, CORE_KEYS, { stage: "production" }))).toEqual(["production.web@everywhere"]);
  });

  it("refuses a role without hosts", () => {
    const noHosts: FapConfig = { stage_role_configs: { production: { web: { path: "/srv/app" } } } };
    const error = thrown(() => selectTargets(noHosts, CORE_KEYS, { stage: "production" }));
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toBe("production.web has no hosts");
  });

  it("refuses a config without stages", () => {
    const error = thrown(() => selectTargets({ stage_role_configs: {} }, CORE_KEYS, { stage: "production" }));
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toBe("the config defines no stages");
  });

  it("refuses an entry that is neither a known key nor a role", () => {
    const typo: FapConfig = { stage_role_configs: { production: { keep_relases: 3, web: { hosts: ["a"] } } } };
    const error = thrown(() => selectTargets(typo, CORE_KEYS, { stage: "production" }));
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toBe("stage 'production': 'keep_relases' is neither a role (a map with hosts) nor a known key");
  });

  it("refuses a stage that is not a map", () => {
    const bad = { stage_role_configs: { production: ["web1"] } } as unknown as FapConfig;
    const error = thrown(() => selectTargets(bad, CORE_KEYS, { stage: "production" }));
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toBe("stage 'production' must be a map of roles");
  });
});
