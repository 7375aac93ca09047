import { defineConfig, type ConfigValues } from "@fap/core";
import { describe, expectTypeOf, it } from "vitest";
import curl from "../src/index.js";

// Type-checked by test/types/config-types.test.ts (tsc): the plugin's keys are known to defineConfig.
describe("ConfigValues augmentation", () => {
  it("types the plugin's keys (Fapistrano's) at every level", () => {
    const config = defineConfig({
      plugins: [curl({ extractTgz: true, postinstallScript: "./install.sh" })],
      curl_extract_tgz: true,
      curl_options: ["--retry", "5"],
      stage_role_configs: { production: { web: { hosts: ["web1"], curl_postinstall_output: false } } },
    });
    expectTypeOf(config.curl_options).toEqualTypeOf<string[]>();
    expectTypeOf<ConfigValues["curl_user"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ConfigValues["curl_max_time"]>().toEqualTypeOf<number | undefined>();
    // @ts-expect-error curl_extract_tgz is a boolean
    defineConfig({ curl_extract_tgz: "yes", stage_role_configs: {} });
  });
});
