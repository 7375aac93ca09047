import { defineConfig, type ConfigValues } from "@fap/core";
import { describe, expectTypeOf, it } from "vitest";
import webpackBuild from "../src/index.js";

// Type-checked by test/types/config-types.test.ts (tsc): the plugin's keys are known to defineConfig.
describe("ConfigValues augmentation", () => {
  it("types the plugin's keys at every level", () => {
    const config = defineConfig({
      plugins: [webpackBuild({ mode: "production", target: "public/assets" })],
      webpack_config: "webpack.prod.js",
      stage_role_configs: { production: { web: { hosts: ["web1"], webpack_target: "static" } } },
    });
    expectTypeOf(config.webpack_config).toEqualTypeOf<string>();
    expectTypeOf<ConfigValues["webpack_mode"]>().toEqualTypeOf<"production" | "development" | "none" | undefined>();
    // @ts-expect-error webpack_mode is production, development or none
    defineConfig({ webpack_mode: "prod", stage_role_configs: {} });
  });
});
