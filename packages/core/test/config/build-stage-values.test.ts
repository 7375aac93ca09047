import { describe, expect, it } from "vitest";
import { buildStageValues } from "../../src/config/build-stage-values.js";
import type { KeySpecs } from "../../src/config/keys.js";

const KEYS: KeySpecs = {
  demo_dir: { type: "string", default: "build", description: "what to ship" },
  demo_exclude: { type: "list", default: [], description: "what not to ship" },
  demo_other: { type: "string", default: "x", description: "not read by the build stage" },
};

describe("buildStageValues", () => {
  it("reads the named keys from the config's top level, else from the plugin's options (the keys' defaults)", () => {
    expect(buildStageValues({ demo_exclude: ["*.map"], demo_other: "y" }, KEYS, ["demo_dir", "demo_exclude"], "the tree is read")).toEqual({
      demo_dir: "build",
      demo_exclude: ["*.map"],
    });
  });

  it("refuses a value with %(...)s, which nothing resolves before any host", () => {
    expect(() => buildStageValues({ demo_dir: "%(app_name)s/build" }, KEYS, ["demo_dir"], "the build runs")).toThrow(
      expect.objectContaining({
        code: "E_CONFIG",
        message: "demo_dir '%(app_name)s/build' uses %(...)s, which the build stage cannot resolve",
        hint: "the build runs before any host's keys are resolved: write demo_dir out in full",
      }),
    );
  });
});
