import { describe, expect, it } from "vitest";
import { FapError } from "../src/errors.js";
import { createFap } from "../src/fap.js";
import { CORE_PLUGIN_NAME } from "../src/core-plugin.js";
import { CONFIG_HOOKS_PLUGIN_NAME } from "../src/hooks/config-hooks-plugin.js";
import type { FapPlugin } from "../src/plugin.js";

const plugin = (name: string, extra: Partial<FapPlugin> = {}): FapPlugin => ({ name, apply() {}, ...extra });

describe("createFap", () => {
  it("puts core first and the config hooks last around the user's plugins", () => {
    const fap = createFap([plugin("post", { enforce: "post" }), plugin("pre", { enforce: "pre" })]);
    expect(fap.plugins.map((p) => p.name)).toEqual([CORE_PLUGIN_NAME, "pre", "post", CONFIG_HOOKS_PLUGIN_NAME]);
  });

  it("applies each plugin once with the frozen hooks and the events", () => {
    const applied: unknown[] = [];
    const fap = createFap([plugin("a", { apply: (f) => void applied.push(f) })]);
    expect(applied).toHaveLength(1);
    expect(applied[0]).toMatchObject({ hooks: fap.hooks, events: fap.events });
  });

  it("refuses the same plugin twice", () => {
    const git = plugin("fap:git");
    let error: unknown;
    try {
      createFap([git, plugin("x"), git]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FapError);
    expect((error as FapError).code).toBe("E_PLUGIN");
    expect((error as FapError).message).toBe("plugin fap:git is loaded twice");
    expect((error as FapError).hint).toBe("list each plugin once in plugins");
  });

  it("refuses a plugin named like core's", () => {
    expect(() => createFap([plugin(CORE_PLUGIN_NAME)])).toThrow("plugin fap:core is loaded twice");
  });

  it("collects declared keys: core's, then each plugin's in order", () => {
    const fap = createFap([
      plugin("fap:git", { config: { branch: { type: "string", default: "main", description: "b" } } }),
      plugin("fap:other", { config: { branch: { type: "string", default: "dev", description: "b2" } } }),
    ]);
    expect(fap.keysByOwner.map((o) => o.owner)).toEqual(["core", "fap:git", "fap:other"]);
    expect(fap.keys.branch?.default).toBe("dev");
    expect(fap.keys.keep_releases?.default).toBe(5);
  });
});
