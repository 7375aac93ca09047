import { describe, expect, it } from "vitest";
import { createFap } from "../../src/fap.js";
import { resolvedConfigs } from "../../src/flows/config-view.js";
import type { FapPlugin } from "../../src/plugin.js";
import { localConnector } from "../_local-remote.js";

const plugin: FapPlugin = {
  name: "p:api",
  config: { api_key: { type: "string", secret: true, description: "k" }, api_url: { type: "string", default: "https://x/%(stage)s", description: "u" } },
  apply() {},
};

describe("resolvedConfigs", () => {
  it("gives every key of each host with its source, declared keys first, then unread ones, then computed ones", async () => {
    const fap = createFap([plugin]);
    const connector = localConnector({});
    const [view] = await resolvedConfigs({
      fap,
      connector,
      selection: { stage: "production" },
      cliValues: { keep_releases: 2 },
      config: {
        app_name: "app",
        api_key: "k3y",
        typo_key: 1,
        stage_role_configs: { production: { parallel: 3, web: { hosts: ["a"], path: "/srv/%(app_name)s" } } },
      },
    });
    const rows = Object.fromEntries(view!.entries.map((e) => [e.key, [e.value, e.source, e.owner, e.secret]]));
    expect(rows.app_name).toEqual(["app", "top level", "core", false]);
    expect(rows.path).toEqual(["/srv/app", "role production.web", "core", false]);
    expect(rows.parallel).toEqual([3, "stage production", "core", false]);
    expect(rows.keep_releases).toEqual([2, "command line", "core", false]);
    expect(rows.releases_path).toEqual(["/srv/app/releases", "default", "core", false]);
    expect(rows.api_key).toEqual(["k3y", "top level", "p:api", true]);
    expect(rows.api_url).toEqual(["https://x/production", "plugin p:api", "p:api", false]);
    expect(rows.user).toEqual(["tester", "~/.ssh/config or local user", "core", false]);
    expect(rows.typo_key).toEqual([1, "top level", undefined, false]);
    expect(rows.host).toEqual(["a", "runtime", undefined, false]);
    expect(rows.release).toBeUndefined();
    const keys = view!.entries.map((e) => e.key);
    expect(keys.indexOf("typo_key")).toBeGreaterThan(keys.indexOf("api_url"));
    expect(keys.indexOf("stage")).toBeGreaterThan(keys.indexOf("typo_key"));
  });

  it("names the config as the source of a user it sets, and leaves out declared keys with no value", async () => {
    const [view] = await resolvedConfigs({
      fap: createFap([plugin]),
      connector: localConnector({}),
      selection: { stage: "production" },
      config: { user: "deploy", stage_role_configs: { production: { web: { hosts: ["a"], path: "/srv/app" } } } },
    });
    const rows = Object.fromEntries(view!.entries.map((e) => [e.key, [e.value, e.source]]));
    expect(rows.user).toEqual(["deploy", "top level"]);
    expect("release_command" in rows).toBe(false);
    expect("api_key" in rows).toBe(false);
  });
});
