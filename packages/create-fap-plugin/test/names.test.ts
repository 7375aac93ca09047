import { describe, expect, it } from "vitest";
import { pluginNames } from "../src/names.js";

describe("pluginNames", () => {
  it.each([
    ["my-thing", { packageName: "fap-plugin-my-thing", useName: "my-thing", factory: "myThing", optionsType: "MyThingOptions", keyPrefix: "my_thing", fileName: "MY_THING", dir: "my-thing" }],
    ["fap-plugin-my-thing", { packageName: "fap-plugin-my-thing", useName: "my-thing", factory: "myThing", dir: "fap-plugin-my-thing" }],
    ["@acme/slack", { packageName: "@acme/fap-plugin-slack", useName: "@acme/slack", factory: "slack", keyPrefix: "slack", dir: "slack" }],
    ["@acme/fap-plugin-slack", { packageName: "@acme/fap-plugin-slack", useName: "@acme/slack", dir: "fap-plugin-slack" }],
    ["healthcheck", { factory: "healthcheck", optionsType: "HealthcheckOptions", keyPrefix: "healthcheck", fileName: "HEALTHCHECK" }],
    ["s3.upload_v2", { factory: "s3UploadV2", keyPrefix: "s3_upload_v2", fileName: "S3_UPLOAD_V2" }],
    ["3d-assets", { factory: "plugin3dAssets", optionsType: "Plugin3dAssetsOptions", keyPrefix: "3d_assets" }],
    ["new", { factory: "newPlugin", optionsType: "NewPluginOptions" }],
  ])("%s", (input, expected) => {
    expect(pluginNames(input)).toMatchObject(expected);
  });

  it.each(["", "My-Thing", "-x", "fap-plugin-", "a b", "@acme/", "../x", "x/y"])("refuses %j", (input) => {
    expect(() => pluginNames(input)).toThrow(/is not a plugin name: use lowercase letters, digits and '-'/);
  });
});
