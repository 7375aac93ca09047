import { describe, expect, it } from "vitest";
import { CORE_KEYS } from "../../src/config/core-keys.js";
import { aboveZero, asList, asText, checkKeyType, wholeNumberAtLeast, type KeySpecs } from "../../src/config/keys.js";
import { mergeLayers, type Layer } from "../../src/config/layers.js";
import { checkLayers, defaultLayers, resolveConfig } from "../../src/config/resolve.js";
import { thrown } from "../../../../test/thrown.js";

const PLUGIN_KEYS: KeySpecs = {
  branch: { type: "string", default: "main", description: "branch to deploy" },
  keep_releases: { type: "number", default: 4, description: "plugin overrides core's default" },
  token: { type: "string", secret: true, description: "no default" },
};

const keys: KeySpecs = { ...CORE_KEYS, ...PLUGIN_KEYS };
const defaults = () => defaultLayers([{ owner: "core", keys: CORE_KEYS }, { owner: "fap:git", keys: PLUGIN_KEYS }]);
const layer = (name: Layer["name"], label: string, values: Record<string, unknown>): Layer => ({ name, label, values });

/** One layer per precedence level, each setting `probe` and a key of its own. */
function stack(): Layer[] {
  return [
    ...defaults(),
    layer("top", "top level", { probe: "top", app_name: "shop", user: "nobody", at_top: "t" }),
    layer("stage", "stage production", { probe: "stage", at_stage: "s" }),
    layer("role", "role production.web", { probe: "role", at_role: "r" }),
    layer("cli", "command line", { probe: "cli", at_cli: "c" }),
    layer("runtime", "runtime", { probe: "runtime", user: "deploy", host: "web1" }),
  ];
}

describe("defaultLayers", () => {
  it("makes one layer per owner with its declared defaults, core first", () => {
    const [core, plugin] = defaults();
    expect(core?.name).toBe("default");
    expect(core?.label).toBe("default");
    expect(core?.values.keep_releases).toBe(5);
    expect(core?.values).not.toHaveProperty("app_name");
    expect(plugin).toEqual({ name: "plugin", label: "plugin fap:git", values: { branch: "main", keep_releases: 4 } });
  });
});

describe("resolveConfig", () => {
  it("lets each layer override the ones below: default < plugin < top < stage < role < cli < runtime", () => {
    // keep_releases set in every layer (core default 5, plugin default 4), then taken away from the top down.
    const numbered = stack().map((l, i) => (l.name === "default" || l.name === "plugin" ? l : { ...l, values: { ...l.values, keep_releases: 10 + i } }));
    const expected: Array<[number, string]> = [
      [16, "runtime"],
      [15, "command line"],
      [14, "role production.web"],
      [13, "stage production"],
      [12, "top level"],
      [4, "plugin fap:git"],
    ];
    for (let above = 0; above < expected.length; above++) {
      const layers = numbered.map((l, i) => {
        if (i < numbered.length - above) return l;
        const { keep_releases: _dropped, ...rest } = l.values;
        return { ...l, values: rest };
      });
      const { values, sources } = resolveConfig(keys, layers);
      expect([values.keep_releases, sources.keep_releases]).toEqual(expected[above]);
    }
    const coreOnly = resolveConfig(CORE_KEYS, [defaultLayers([{ owner: "core", keys: CORE_KEYS }])[0]!, numbered[2]!]);
    expect([coreOnly.values.keep_releases, coreOnly.sources.keep_releases]).toEqual([12, "top level"]);
    const untouched = resolveConfig(CORE_KEYS, [defaultLayers([{ owner: "core", keys: CORE_KEYS }])[0]!, stack()[2]!, stack()[6]!]);
    expect([untouched.values.keep_releases, untouched.sources.keep_releases]).toEqual([5, "default"]);
  });

  it("lets a plugin default override core's and a user value override both", () => {
    const plugin = resolveConfig(keys, [...defaults(), layer("top", "top level", { app_name: "shop", user: "u" })]);
    expect(plugin.values.keep_releases).toBe(4);
    expect(plugin.sources.keep_releases).toBe("plugin fap:git");
    const role = resolveConfig(keys, [...defaults(), layer("role", "role production.web", { keep_releases: 2, app_name: "shop", user: "u" })]);
    expect(role.values.keep_releases).toBe(2);
    expect(role.sources.keep_releases).toBe("role production.web");
  });

  it("says where every value came from and interpolates across layers", () => {
    const { values, sources } = resolveConfig(keys, stack());
    expect(values.path).toBe("/home/deploy/www/shop");
    expect(values.current_path).toBe("/home/deploy/www/shop/current");
    expect(sources).toMatchObject({
      path: "default",
      branch: "plugin fap:git",
      app_name: "top level",
      at_stage: "stage production",
      at_role: "role production.web",
      at_cli: "command line",
      user: "runtime",
      host: "runtime",
    });
  });

  it("skips undefined values instead of erasing lower ones", () => {
    const { values } = resolveConfig(keys, [...stack(), layer("cli", "command line", { app_name: undefined })]);
    expect(values.app_name).toBe("shop");
  });

  it("replaces maps instead of merging them", () => {
    const { values } = resolveConfig(keys, [
      ...stack(),
      layer("stage", "stage production", { hooks: { updated: "make", finished: "notify" } }),
      layer("role", "role production.web", { hooks: { updated: "make web" } }),
    ]);
    expect(values.hooks).toEqual({ updated: "make web" });
  });

  it("quotes values inserted into `commands` keys", () => {
    const { values } = resolveConfig(keys, [
      ...stack(),
      layer("cli", "command line", { branch: "$(touch /tmp/x)", hooks: { updated: "echo %(branch)s" } }),
    ]);
    expect(values.hooks).toEqual({ updated: "echo '$(touch /tmp/x)'" });
    expect(values.branch).toBe("$(touch /tmp/x)");
  });

  it.each<[string, Layer, string]>([
    ["a word for a number", layer("stage", "stage production", { keep_releases: "five" }), `stage production: 'keep_releases' must be a number, got string "five"`],
    ["a list for a string", layer("role", "role production.web", { path: ["/a"] }), "role production.web: 'path' must be a string, got a list"],
    ["a number for a list", layer("top", "top level", { linked_files: 3 }), "top level: 'linked_files' must be a list, got number 3"],
    ["a string for commands", layer("cli", "command line", { hooks: "make" }), `command line: 'hooks' must be a map of hook name to a command or a list of commands, got string "make"`],
    ["a number for one hook's command", layer("top", "top level", { hooks: { updated: 1 } }), "top level: 'hooks.updated' must be a command or a list of commands, got number 1"],
    ["a map for one hook's command", layer("role", "role production.web", { hooks: { started: "ok", updated: { run: "make" } } }), "role production.web: 'hooks.updated' must be a command or a list of commands, got a map"],
    ["0 for parallel", layer("top", "top level", { parallel: 0 }), "top level: 'parallel' must be a whole number of at least 1, got number 0"],
    ["a fraction for parallel", layer("top", "top level", { parallel: 1.5 }), "top level: 'parallel' must be a whole number of at least 1, got number 1.5"],
    ["a negative command_timeout", layer("top", "top level", { command_timeout: -5 }), "top level: 'command_timeout' must be a number of seconds above 0 and at most 2147483 (24 days), got number -5"],
    ["0 for lock_ttl", layer("stage", "stage production", { lock_ttl: 0 }), "stage production: 'lock_ttl' must be a number of seconds above 0 and at most 315360000 (10 years), got number 0"],
    ["a command_timeout past Node's timer limit", layer("top", "top level", { command_timeout: 2592000 }), "top level: 'command_timeout' must be a number of seconds above 0 and at most 2147483 (24 days), got number 2592000"],
    ["a lock_ttl past Date's range", layer("top", "top level", { lock_ttl: 1e16 }), "top level: 'lock_ttl' must be a number of seconds above 0 and at most 315360000 (10 years), got number 10000000000000000"],
    ["a port out of range", layer("top", "top level", { port: 70000 }), "top level: 'port' must be a port number (1-65535), got number 70000"],
    ["a path starting with ~", layer("top", "top level", { path: "~/www/shop" }), `top level: 'path' must not start with '~' (it is not expanded: write the full path), got string "~/www/shop"`],
    ["NaN for a number", layer("top", "top level", { parallel: Number.NaN }), "top level: 'parallel' must be a number, got number null"],
  ])("refuses %s, naming the layer", (_name, bad, message) => {
    const error = thrown(() => resolveConfig(keys, [...stack(), bad]));
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toBe(message);
  });

  // The plugin keys above redeclare keep_releases; core's own declaration carries the rule.
  it.each<[number, string]>([
    [0, "top level: 'keep_releases' must be a whole number of at least 1, got number 0"],
    [-3, "top level: 'keep_releases' must be a whole number of at least 1, got number -3"],
    [2.5, "top level: 'keep_releases' must be a whole number of at least 1, got number 2.5"],
  ])("refuses keep_releases %s", (value, message) => {
    const error = thrown(() => checkLayers(CORE_KEYS, [layer("top", "top level", { keep_releases: value })]));
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toBe(message);
  });

  it("accepts what each type allows", () => {
    expect(() =>
      checkLayers(keys, [
        layer("top", "top level", {
          app_name: 42,
          linked_files: "app/x.py",
          linked_dirs: ["log"],
          hooks: { updated: ["a", "b"], finished: "c" },
          keep_releases: 1,
          parallel: 1,
          command_timeout: 0.5,
          port: 65535,
          path: "/srv/~x/%(app_name)s",
          user: null,
          undeclared: { anything: true },
        }),
      ]),
    ).not.toThrow();
  });

  it("checks a layer shared by many targets once per key table, and a bad one every time", () => {
    let reads = 0;
    const counted = (values: Record<string, unknown>) =>
      new Proxy(values, {
        ownKeys: (target) => {
          reads++;
          return Reflect.ownKeys(target);
        },
      });
    const role = layer("role", "role production.web", counted({ hosts: ["h1", "h2", "h3"], keep_releases: 2 }));
    for (let i = 0; i < 3; i++) checkLayers(keys, [role, layer("runtime", "runtime", { host: `h${i}` })]);
    expect(reads).toBe(1);
    // Another key table may declare other types: checked against it too.
    checkLayers(CORE_KEYS, [role]);
    expect(reads).toBe(2);
    const bad = layer("role", "role production.db", counted({ keep_releases: "many" }));
    expect(() => checkLayers(keys, [bad])).toThrow(/role production\.db: 'keep_releases'/);
    expect(() => checkLayers(keys, [bad])).toThrow(/role production\.db: 'keep_releases'/);
  });

  it("prefixes an interpolation error with the role", () => {
    const error = thrown(() =>
      resolveConfig(keys, [...defaults(), layer("role", "role production.web", { user: "u" })]),
    );
    expect(error.code).toBe("E_INTERPOLATION");
    expect(error.message).toBe("role production.web: unknown key 'app_name' in %(app_name)s, used by 'path'");
  });
});

describe("mergeLayers", () => {
  it("keeps the last value and its label", () => {
    expect(mergeLayers([layer("top", "top level", { a: 1, b: 1 }), layer("cli", "command line", { b: 2 })])).toEqual({
      values: { a: 1, b: 2 },
      sources: { a: "top level", b: "command line" },
    });
  });
});

describe("keys", () => {
  it.each([
    [undefined, []],
    [null, []],
    ["app/x.py", ["app/x.py"]],
    [["a", "b"], ["a", "b"]],
    [[1, 2], ["1", "2"]],
  ])("asList(%j) → %j", (value, expected) => {
    expect(asList(value)).toEqual(expected);
  });

  it.each([
    [undefined, undefined],
    [null, undefined],
    ["", undefined],
    ["main", "main"],
    [0, "0"],
  ])("asText(%j) → %j", (value, expected) => {
    expect(asText(value)).toBe(expected);
  });

  it("passes undefined and null through checkKeyType", () => {
    expect(() => checkKeyType("keep_releases", CORE_KEYS.keep_releases!, undefined, "top level")).not.toThrow();
    expect(() => checkKeyType("keep_releases", CORE_KEYS.keep_releases!, null, "top level")).not.toThrow();
  });

  it("checks a key's own rule only once its type is right", () => {
    const spec = { type: "number" as const, description: "d", check: wholeNumberAtLeast(2) };
    expect(thrown(() => checkKeyType("n", spec, "x", "top level")).message).toBe(`top level: 'n' must be a number, got string "x"`);
    expect(thrown(() => checkKeyType("n", spec, 1, "top level")).message).toBe("top level: 'n' must be a whole number of at least 2, got number 1");
    expect(() => checkKeyType("n", spec, 2, "top level")).not.toThrow();
    expect(aboveZero(0.1)).toBeUndefined();
    expect(aboveZero(0)).toBe("must be a number above 0");
  });

  it("gives the key's description as the hint", () => {
    const error = thrown(() => checkKeyType("keep_releases", CORE_KEYS.keep_releases!, "five", "top level"));
    expect(error.hint).toBe("keep_releases: how many good releases to keep on each host");
  });
});
