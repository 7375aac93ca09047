import { describe, expect, it } from "vitest";
import { interpolateAll, interpolateString, isPlainObject } from "../../src/config/interpolate.js";
import { thrown } from "../../../../test/thrown.js";

// Checks the mutation run (npm run test:mutation) found untested: the hints of interpolation
// errors, an unset value, and isPlainObject's edges.
describe("interpolation: edges", () => {
  it("inserts nothing for a key a lookup leaves undefined", () => {
    expect(interpolateString("[%(gone)s]", () => undefined)).toBe("[]");
  });

  it("says what to refer to when a list or map is used as text", () => {
    const error = thrown(() => interpolateString("%(hosts)s", () => ["a"]));
    expect(error.hint).toBe("refer to a key that holds a string or a number");
  });

  it("says where to define a missing key", () => {
    expect(thrown(() => interpolateAll({ path: "/srv/%(app_name)s" })).hint).toBe("define 'app_name' at the top level, in the stage or in the role");
  });

  it("says how to break a cycle", () => {
    expect(thrown(() => interpolateAll({ a: "%(b)s", b: "%(a)s" })).hint).toBe("break the cycle so that one of these keys has a plain value");
  });

  it("names only the keys of the cycle, not the key that led into it", () => {
    expect(thrown(() => interpolateAll({ top: "%(a)s", a: "%(b)s", b: "%(a)s" })).message).toBe("interpolation cycle: a → b → a");
  });

  it("resolves a key used by several others to the same value, once", () => {
    expect(interpolateAll({ x: "%(p)s/x", y: "%(p)s/y", p: "/srv/%(app)s", app: "shop" })).toEqual({ x: "/srv/shop/x", y: "/srv/shop/y", p: "/srv/shop", app: "shop" });
  });

  it("quotes what a shell key's map and list values insert", () => {
    const out = interpolateAll({ dir: "my dir", hooks: { updated: ["cd %(dir)s", "ls %(dir)s"] } }, new Set(["hooks"]));
    expect(out.hooks).toEqual({ updated: ["cd 'my dir'", "ls 'my dir'"] });
    expect(out.dir).toBe("my dir");
  });

  it.each([
    [undefined, false],
    [42, false],
    [() => 1, false],
    [new Map(), false],
    [{ a: 1 }, true],
  ])("isPlainObject(%s) is %s", (value, expected) => {
    expect(isPlainObject(value)).toBe(expected);
  });
});
