import { describe, expect, it } from "vitest";
import { interpolateAll, interpolateString, isPlainObject } from "../../src/config/interpolate.js";
import { thrown } from "../../../../test/thrown.js";

describe("interpolateString", () => {
  const values: Record<string, unknown> = { a: "A", n: 3, empty: "", nothing: null, list: ["x"], map: { k: "v" } };
  const lookup = (key: string) => values[key];

  it.each([
    ["no placeholder", "plain text", "plain text"],
    ["one", "%(a)s", "A"],
    ["several", "%(a)s-%(a)s/%(n)s", "A-A/3"],
    ["%d", "port %(n)d", "port 3"],
    ["empty value", "[%(empty)s]", "[]"],
    ["null value", "[%(nothing)s]", "[]"],
    ["strftime is not a placeholder", "%y%m%d-%H%M%S", "%y%m%d-%H%M%S"],
    ["unclosed", "%(a", "%(a"],
  ])("%s", (_name, template, expected) => {
    expect(interpolateString(template, lookup)).toBe(expected);
  });

  it("quotes each inserted value in shell mode, and only the value", () => {
    const shellValues: Record<string, string> = { branch: "$(touch /tmp/x)", dir: "my dir", plain: "main" };
    expect(interpolateString("git checkout %(branch)s && cd %(dir)s && echo %(plain)s", (k) => shellValues[k], { shell: true })).toBe(
      "git checkout '$(touch /tmp/x)' && cd 'my dir' && echo main",
    );
  });

  it.each([
    ["list", "%(list)s", "%(list)s is a list, not text"],
    ["map", "%(map)s", "%(map)s is a map, not text"],
  ])("refuses a %s as text", (_name, template, message) => {
    const error = thrown(() => interpolateString(template, lookup));
    expect(error.code).toBe("E_INTERPOLATION");
    expect(error.message).toBe(message);
  });
});

describe("interpolateAll", () => {
  it("resolves recursively, in any key order", () => {
    const out = interpolateAll({
      current_path: "%(path)s/current",
      path: "/home/%(user)s/www/%(app_name)s",
      user: "deploy",
      app_name: "shop",
    });
    expect(out).toEqual({
      current_path: "/home/deploy/www/shop/current",
      path: "/home/deploy/www/shop",
      user: "deploy",
      app_name: "shop",
    });
  });

  it("walks lists and maps, and keeps other leaves as they are", () => {
    const out = interpolateAll({
      role: "web",
      files: ["conf/%(role)s.py", "static"],
      nested: { conf: "supervisor_%(role)s.conf", deeper: [{ x: "%(role)s" }] },
      keep: 5,
      flag: true,
      none: null,
    });
    expect(out.files).toEqual(["conf/web.py", "static"]);
    expect(out.nested).toEqual({ conf: "supervisor_web.conf", deeper: [{ x: "web" }] });
    expect(out.keep).toBe(5);
    expect(out.flag).toBe(true);
    expect(out.none).toBe(null);
  });

  it("names the missing key and the key that used it", () => {
    const error = thrown(() => interpolateAll({ path: "/srv/%(app_name)s" }));
    expect(error.code).toBe("E_INTERPOLATION");
    expect(error.message).toBe("unknown key 'app_name' in %(app_name)s, used by 'path'");
    expect(error.hint).toContain("app_name");
  });

  it("names the key that used a missing one deep in a chain", () => {
    const error = thrown(() => interpolateAll({ a: "%(b)s", b: "%(c)s" }));
    expect(error.message).toBe("unknown key 'c' in %(c)s, used by 'b'");
  });

  it("lists the whole chain of a cycle", () => {
    const error = thrown(() => interpolateAll({ a: "%(b)s", b: "%(c)s", c: "%(a)s" }));
    expect(error.code).toBe("E_INTERPOLATION");
    expect(error.message).toBe("interpolation cycle: a → b → c → a");
  });

  it("detects a key referring to itself", () => {
    expect(thrown(() => interpolateAll({ path: "%(path)s/x" })).message).toBe("interpolation cycle: path → path");
  });

  it("detects a cycle through a list", () => {
    expect(thrown(() => interpolateAll({ a: ["%(b)s"], b: "%(a)s" })).message).toBe("interpolation cycle: a → b → a");
  });

  it("refuses a list used as text", () => {
    const error = thrown(() => interpolateAll({ hosts: ["a", "b"], where: "on %(hosts)s" }));
    expect(error.code).toBe("E_INTERPOLATION");
    expect(error.message).toBe("%(hosts)s is a list, not text");
  });

  it("quotes values inserted into shell keys only, and not the keys' own text", () => {
    const out = interpolateAll(
      {
        branch: "$(touch /tmp/x)",
        release_path: "/srv/app/releases/1",
        hooks: { updated: "echo %(branch)s > %(release_path)s/branch", finished: ["echo done"] },
        label: "%(branch)s",
      },
      new Set(["hooks"]),
    );
    expect(out.hooks).toEqual({ updated: "echo '$(touch /tmp/x)' > /srv/app/releases/1/branch", finished: ["echo done"] });
    expect(out.label).toBe("$(touch /tmp/x)");
  });

  it("does not take Object.prototype members for config keys", () => {
    for (const key of ["constructor", "toString", "hasOwnProperty"]) {
      const error = thrown(() => interpolateAll({ x: `%(${key})s` }));
      expect(error.code).toBe("E_INTERPOLATION");
      expect(error.message).toBe(`unknown key '${key}' in %(${key})s, used by 'x'`);
    }
  });
});

describe("isPlainObject", () => {
  it.each([
    [{}, true],
    [Object.create(null), true],
    [[], false],
    [null, false],
    [new Date(0), false],
    ["x", false],
  ])("%j → %s", (value, expected) => {
    expect(isPlainObject(value)).toBe(expected);
  });
});
