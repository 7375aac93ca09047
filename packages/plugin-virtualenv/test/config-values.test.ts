import { defineConfig, type ConfigValues } from "@fap/core";
import { describe, expectTypeOf, it } from "vitest";
import virtualenv from "../src/index.js";

// Type-checked by test/types/config-types.test.ts (tsc): the plugin's keys are known to defineConfig.
describe("ConfigValues augmentation", () => {
  it("types the plugin's keys (Fapistrano's) at every level", () => {
    const config = defineConfig({
      plugins: [virtualenv({ pipOptions: ["--no-index", "--find-links", "/srv/wheels"], reuse: true })],
      virtualenv_pip_upgrade: false,
      stage_role_configs: {
        production: { web: { hosts: ["web1"], virtualenv_requirements: "%(release_path)s/production-requirements.txt" } },
      },
    });
    expectTypeOf(config.virtualenv_pip_upgrade).toEqualTypeOf<false>();
    expectTypeOf<ConfigValues["virtualenv_pip_upgrade"]>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<ConfigValues["virtualenv_requirements"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ConfigValues["virtualenv_pip_options"]>().toEqualTypeOf<string | string[] | undefined>();
    // @ts-expect-error virtualenv_reuse is a boolean
    defineConfig({ virtualenv_reuse: "yes", stage_role_configs: {} });
  });
});
