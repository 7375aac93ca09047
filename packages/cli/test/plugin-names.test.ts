import { describe, expect, it } from "vitest";
import { packageToInstall, pluginCandidates } from "../src/plugin-names.js";

describe("pluginCandidates", () => {
  it.each([
    ["healthcheck", ["healthcheck", "@fap/plugin-healthcheck", "fap-plugin-healthcheck"]],
    ["fap-plugin-healthcheck", ["fap-plugin-healthcheck", "@fap/plugin-fap-plugin-healthcheck"]],
    ["@acme/thing", ["@acme/thing", "@acme/fap-plugin-thing"]],
    ["@acme/fap-plugin-thing", ["@acme/fap-plugin-thing"]],
    ["@fap/plugin-git", ["@fap/plugin-git"]],
    ["@fap/git", ["@fap/git", "@fap/plugin-git"]],
    ["fapistrano.git", ["@fap/plugin-git"]],
    ["git", ["@fap/plugin-git"]],
    ["pm2", ["@fap/plugin-pm2"]],
    ["node", ["@fap/plugin-node"]],
    ["upload", ["@fap/plugin-upload"]],
    ["fapistrano.plugins.supervisorctl", ["@fap/plugin-supervisorctl"]],
    ["fapistrano.webpack_build", ["@fap/plugin-webpack-build"]],
    ["./plugins/x.js", ["./plugins/x.js"]],
    ["/abs/x.js", ["/abs/x.js"]],
  ])("%s → %j", (name, expected) => {
    expect(pluginCandidates(name)).toEqual(expected);
  });
});

describe("packageToInstall", () => {
  it.each([
    ["git", "@fap/plugin-git"],
    ["pm2", "@fap/plugin-pm2"],
    ["fapistrano.curl", "@fap/plugin-curl"],
    ["fapistrano.nothere", "@fap/plugin-nothere"],
    ["healthcheck", "fap-plugin-healthcheck"],
    ["fap-plugin-healthcheck", "fap-plugin-healthcheck"],
    ["@acme/thing", "@acme/fap-plugin-thing"],
    ["./x.js", undefined],
  ])("%s → %s", (name, expected) => {
    expect(packageToInstall(name)).toBe(expected);
  });
});
