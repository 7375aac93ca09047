import { describe, expect, it } from "vitest";
import { definePlugin, normalizePlugins, type FapPlugin } from "../src/plugin.js";

const plugin = (name: string, enforce?: FapPlugin["enforce"]): FapPlugin => ({ name, ...(enforce ? { enforce } : {}), apply() {} });
const names = (plugins: FapPlugin[]) => plugins.map((p) => p.name);

describe("normalizePlugins", () => {
  it("flattens arrays and drops falsy entries", () => {
    const isProd = false;
    expect(names(normalizePlugins([plugin("a"), [plugin("b"), [plugin("c"), null]], isProd && plugin("d"), undefined, false, []]))).toEqual([
      "a",
      "b",
      "c",
    ]);
  });

  it("orders enforce pre, then normal, then post, keeping the written order within each", () => {
    const list = [plugin("post1", "post"), plugin("n1"), plugin("pre1", "pre"), plugin("n2"), [plugin("pre2", "pre"), plugin("post2", "post")]];
    expect(names(normalizePlugins(list))).toEqual(["pre1", "pre2", "n1", "n2", "post1", "post2"]);
  });

  it("keeps the written order within each enforce in a long list too", () => {
    const kinds = [undefined, "pre", "post"] as const;
    const list = Array.from({ length: 60 }, (_, i) => plugin(`p${i}`, kinds[(i * 7) % 3]));
    const expected = kinds.flatMap((kind) => list.filter((p) => p.enforce === kind)).map((p) => p.name);
    expect(names(normalizePlugins(list))).toEqual([...expected.slice(20, 40), ...expected.slice(0, 20), ...expected.slice(40)]);
  });

  it("returns the same plugin objects", () => {
    const a = plugin("a");
    expect(normalizePlugins([[a]])[0]).toBe(a);
  });

  it("gives nothing for nothing", () => {
    expect(normalizePlugins([])).toEqual([]);
  });
});

describe("definePlugin", () => {
  it("returns the factory itself", () => {
    const factory = (options: { url: string }) => plugin(options.url);
    expect(definePlugin(factory)).toBe(factory);
  });
});
