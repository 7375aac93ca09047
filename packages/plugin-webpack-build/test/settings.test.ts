import { createFap } from "@fap/core";
import { describe, expect, it } from "vitest";
import webpackBuild, { PLUGIN_NAME } from "../src/index.js";
import { defaultTarget, readBuildSettings, readTarget } from "../src/settings.js";
import { expectNamedWithDefaults, keyDefaults } from "../../../test/plugin-keys.js";
import { thrown } from "../../../test/thrown.js";

describe("webpackBuild()", () => {
  it("is named fap:webpack-build and has defaults for YAML's plugins: [webpack-build]", () => {
    expectNamedWithDefaults(webpackBuild(), PLUGIN_NAME, {
      webpack_project_dir: undefined,
      webpack_config: "webpack.config.js",
      webpack_mode: "production",
      webpack_output: undefined,
      webpack_target: undefined,
    });
  });

  it("makes its options the keys' defaults", () => {
    expect(keyDefaults(webpackBuild({ projectDir: "web", config: "wp.js", mode: "development", output: "build", target: "public" }))).toEqual({
      webpack_project_dir: "web",
      webpack_config: "wp.js",
      webpack_mode: "development",
      webpack_output: "build",
      webpack_target: "public",
    });
  });

  it("registers with core", () => {
    expect(createFap([webpackBuild()]).keysByOwner.map((o) => o.owner)).toContain(PLUGIN_NAME);
  });

  it.each([
    [{ mode: "prod" }, `[fap:webpack-build] options: 'mode' must be one of production, development, none, got string "prod"`],
    [{ target: true }, "[fap:webpack-build] options: 'target' must be a string, got boolean true"],
  ])("rejects %j", (options, message) => {
    expect(() => webpackBuild(options as never)).toThrow(expect.objectContaining({ code: "E_CONFIG", message }));
  });
});

describe("readBuildSettings", () => {
  it("resolves the project from the working directory and the rest from the project", () => {
    expect(readBuildSettings({ webpack_config: "webpack.config.js", webpack_mode: "production" }, "/work/app")).toEqual({
      projectDir: "/work/app",
      configFile: "/work/app/webpack.config.js",
      mode: "production",
      output: undefined,
    });
    expect(readBuildSettings({ webpack_project_dir: "frontend", webpack_config: "conf/wp.js", webpack_mode: "none", webpack_output: "build/" }, "/work/app")).toEqual({
      projectDir: "/work/app/frontend",
      configFile: "/work/app/frontend/conf/wp.js",
      mode: "none",
      output: "/work/app/frontend/build",
    });
  });

  it.each([
    [{ webpack_mode: "prod" }, `config: 'webpack_mode' must be one of production, development, none, got string "prod"`],
    [{ webpack_output: true }, "config: 'webpack_output' must be a string, got boolean true"],
  ])("rejects %j", (values, message) => {
    expect(thrown(() => readBuildSettings(values, "/work/app"))).toMatchObject({ code: "E_CONFIG", message });
  });
});

describe("readTarget / defaultTarget", () => {
  it.each([
    ["/p", "/p/dist", "dist"],
    ["/p", "/p/public/assets", "public/assets"],
    ["/p", "/p", "."],
    ["/p", "/elsewhere/dist", undefined],
    ["/p", "/p-other/dist", undefined],
  ])("the output %s in project %s goes to %s", (project, output, expected) => {
    expect(defaultTarget(project, output)).toBe(expected);
  });

  it.each([
    [undefined, "dist", "dist"],
    ["./static/", "dist", "static"],
    [".", "dist", "."],
    ["", "public/js", "public/js"],
  ])("webpack_target %j (default %s) is %s", (value, fallback, expected) => {
    expect(readTarget({ webpack_target: value }, fallback)).toBe(expected);
  });

  it.each([
    [{ webpack_target: "../shared" }, "dist", "webpack_target '../shared' must be a folder inside the release"],
    [{ webpack_target: "/var/www" }, "dist", "webpack_target '/var/www' must be a folder inside the release"],
    [{}, undefined, "webpack_target is not set, and the output is not inside the project"],
  ])("rejects %j", (values, fallback, message) => {
    expect(thrown(() => readTarget(values, fallback))).toMatchObject({ code: "E_CONFIG", message });
  });
});
