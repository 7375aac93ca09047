import { describe, expect, it } from "vitest";
import { CORE_KEYS } from "../../src/config/core-keys.js";
import { interpolateAll } from "../../src/config/interpolate.js";
import { mergeLayers } from "../../src/config/layers.js";
import { selectTargets } from "../../src/config/select.js";
import type { FapConfig } from "../../src/config/types.js";

// YAML and JSON give "__proto__" as a key of its own: fap must treat it as a name like any other.
const config = JSON.parse(
  '{"app_name":"app","__proto__":{"path":"/"},"stage_role_configs":{"production":{"__proto__":{"hosts":["web1"]},"constructor":{"hosts":["web2"]}}}}',
) as FapConfig;

describe("config maps are plain dictionaries", () => {
  it("selects roles named __proto__ and constructor, and only roles that exist", () => {
    const targets = selectTargets(config, CORE_KEYS, { stage: "production" });
    expect(targets.map((t) => `${t.role}:${t.host}`)).toEqual(["__proto__:web1", "constructor:web2"]);
    expect(() => selectTargets(config, CORE_KEYS, { stage: "toString" })).toThrow("unknown stage 'toString'; stages: production");
    expect(() => selectTargets(config, CORE_KEYS, { stage: "production", role: "hasOwnProperty" })).toThrow(/unknown role 'hasOwnProperty'/);
  });

  it("merges and interpolates a __proto__ key as a value, leaving prototypes alone", () => {
    const [target] = selectTargets(config, CORE_KEYS, { stage: "production" });
    const merged = mergeLayers(target!.layers).values;
    expect(Object.hasOwn(merged, "__proto__")).toBe(true);
    expect(merged.path).toBeUndefined();
    const resolved = interpolateAll({ ...merged, hosts: "%(app_name)s" });
    expect(resolved.path).toBeUndefined();
    expect(Object.getOwnPropertyNames(resolved)).toContain("__proto__");
  });
});
