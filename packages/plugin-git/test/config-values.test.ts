import { defineConfig, type ConfigValues } from "@fap/core";
import { describe, expectTypeOf, it } from "vitest";
import git from "../src/index.js";

// Type-checked by test/types/config-types.test.ts (tsc): the plugin's keys are known to defineConfig.
describe("ConfigValues augmentation", () => {
  it("types the plugin's keys (Fapistrano's) at every level", () => {
    const config = defineConfig({
      plugins: [git({ repo: "git@example.com:o/app.git", shallowClone: 0 })],
      branch: "main",
      git_shallow_clone: 1,
      stage_role_configs: { production: { web: { hosts: ["web1"], git_archive_tree: "web", revision_file: "REVISION" } } },
    });
    expectTypeOf(config.branch).toEqualTypeOf<string>();
    expectTypeOf<ConfigValues["git_shallow_clone"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<ConfigValues["repo_path"]>().toEqualTypeOf<string | undefined>();
    // @ts-expect-error git_shallow_clone is a number
    defineConfig({ git_shallow_clone: "1", stage_role_configs: {} });
  });
});
