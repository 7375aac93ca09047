import { defineConfig, type ConfigValues } from "@fap/core";
import { describe, expectTypeOf, it } from "vitest";
import supervisorctl from "../src/index.js";

// Type-checked by test/types/config-types.test.ts (tsc): the plugin's keys are known to defineConfig.
describe("ConfigValues augmentation", () => {
  it("types the plugin's keys (Fapistrano's) at every level", () => {
    const config = defineConfig({
      plugins: [supervisorctl({ checkStatus: true })],
      supervisor_conf: "configs/supervisor_%(role)s.conf",
      stage_role_configs: { production: { web: { hosts: ["web1"], supervisor_program: "web", supervisor_check_timeout: 20 } } },
    });
    expectTypeOf(config.supervisor_conf).toEqualTypeOf<string>();
    expectTypeOf<ConfigValues["supervisor_check_status"]>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<ConfigValues["supervisor_ctl"]>().toEqualTypeOf<string | string[] | undefined>();
    // @ts-expect-error supervisor_check_timeout is a number
    defineConfig({ supervisor_check_timeout: "20", stage_role_configs: {} });
  });
});
