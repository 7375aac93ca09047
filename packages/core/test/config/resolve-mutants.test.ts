import { describe, expect, it } from "vitest";
import { buildStageValues } from "../../src/config/build-stage-values.js";
import { CORE_KEYS } from "../../src/config/core-keys.js";
import type { KeySpecs } from "../../src/config/keys.js";
import type { Layer } from "../../src/config/layers.js";
import { own } from "../../src/config/own.js";
import { requireKey } from "../../src/config/require-key.js";
import { resolveConfig } from "../../src/config/resolve.js";
import { defineConfig } from "../../src/config/types.js";
import { thrown } from "../../../../test/thrown.js";

// Checks the mutation run (npm run test:mutation) found untested: shell keys, interpolation
// errors outside a role, errors that are not fap's, and the small helpers' edges.
const layer = (name: Layer["name"], label: string, values: Record<string, unknown>): Layer => ({ name, label, values });

describe("resolveConfig: edges", () => {
  it("quotes values inserted into a string key that holds a shell command", () => {
    const keys: KeySpecs = { ...CORE_KEYS, branch: { type: "string", description: "branch" } };
    const { values } = resolveConfig(keys, [layer("top", "top level", { branch: "a b", release_command: "migrate %(branch)s" })]);
    expect(values.release_command).toBe("migrate 'a b'");
    expect(values.branch).toBe("a b");
  });

  it("leaves an interpolation error outside any role as it is, with its hint", () => {
    const error = thrown(() => resolveConfig(CORE_KEYS, [layer("top", "top level", { path: "/srv/%(nope)s" })]));
    expect(error.code).toBe("E_INTERPOLATION");
    expect(error.message).toBe("unknown key 'nope' in %(nope)s, used by 'path'");
    expect(error.hint).toBe("define 'nope' at the top level, in the stage or in the role");
  });

  it("keeps the hint and the original error when it names the role", () => {
    const error = thrown(() => resolveConfig(CORE_KEYS, [layer("stage", "stage production", {}), layer("role", "role production.web", { path: "/srv/%(nope)s" })]));
    expect(error.message).toBe("role production.web: unknown key 'nope' in %(nope)s, used by 'path'");
    expect(error.hint).toBe("define 'nope' at the top level, in the stage or in the role");
    expect((error.cause as Error).message).toBe("unknown key 'nope' in %(nope)s, used by 'path'");
  });

  it("lets an error that is not an interpolation error through unchanged", () => {
    const boom = new TypeError("boom");
    const custom = {
      get part(): string {
        throw boom;
      },
    };
    expect(() => resolveConfig(CORE_KEYS, [layer("role", "role production.web", { custom })])).toThrow(boom);
  });
});

describe("small helpers: edges", () => {
  it("defineConfig gives the config back as written", () => {
    const config = { app_name: "shop", stage_role_configs: { production: { web: { hosts: ["a"] } } } };
    expect(defineConfig(config)).toBe(config);
  });

  it("own finds nothing in no map", () => {
    expect(own(undefined, "x")).toBeUndefined();
  });

  it("requireKey refuses a key set to null (blank in YAML)", () => {
    expect(thrown(() => requireKey({ demo_url: null }, "demo_url", "set demo_url")).message).toBe("demo_url is not set");
  });

  it("buildStageValues passes undeclared keys and values that are no text as they are", () => {
    const keys: KeySpecs = { demo_n: { type: "number", default: 3, description: "n" } };
    expect(buildStageValues({ demo_list: ["a"] }, keys, ["demo_n", "demo_list", "demo_unset"], "the build runs")).toEqual({
      demo_n: 3,
      demo_list: ["a"],
      demo_unset: undefined,
    });
  });

  it("buildStageValues takes a value the config sets to 0 or false over the default", () => {
    const keys: KeySpecs = { demo_n: { type: "number", default: 3, description: "n" } };
    expect(buildStageValues({ demo_n: 0 }, keys, ["demo_n"], "the build runs")).toEqual({ demo_n: 0 });
  });
});
