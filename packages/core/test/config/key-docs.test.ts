import { describe, expect, expectTypeOf, it } from "vitest";
import { defineKeys, key } from "../../src/config/declare-keys.js";
import { keyTable } from "../../src/config/key-table.js";
import { keySpecsFactory, toKeySpecs, type KeyOptions } from "../../src/config/key-values.js";
import { aboveZero } from "../../src/config/keys.js";

const KEYS = defineKeys(
  {
    demo_url: key.string({ option: "url", description: "where to go" }),
    demo_timeout: key.number({ option: "timeout", default: 30, check: aboveZero, description: "seconds to wait" }),
  },
  { demo_url: "where to go, **from the host itself**" },
);

describe("defineKeys with docs", () => {
  it("gives each key named in the docs its doc, and leaves the others as declared", () => {
    expect(KEYS.demo_url.doc).toBe("where to go, **from the host itself**");
    expect(KEYS.demo_timeout.doc).toBeUndefined();
    expect(KEYS.demo_timeout.check).toBe(aboveZero);
    expect(keyTable(KEYS, "demo")).toContain("| `demo_url` | `url` | string | unset | where to go, **from the host itself** |");
  });

  it("keeps every key's types", () => {
    expectTypeOf<KeyOptions<typeof KEYS>>().toEqualTypeOf<{ url?: string; timeout?: number }>();
  });

  it("refuses a doc for a key that is not declared", () => {
    const docs = { demo_nope: "text" } as unknown as { demo_url?: string };
    expect(() => defineKeys({ demo_url: key.string({ description: "where" }) }, docs)).toThrow("defineKeys: a doc for 'demo_nope', which is not declared");
  });
});

describe("keySpecsFactory", () => {
  it("is toKeySpecs with the plugin's name and keys given once", () => {
    const demoKeys = keySpecsFactory("demo", KEYS);
    expect(demoKeys({ timeout: 5 })).toEqual(toKeySpecs("demo", KEYS, { timeout: 5 }));
    expect(demoKeys()).toEqual(toKeySpecs("demo", KEYS, {}));
    expect(() => demoKeys({ timeout: 0 })).toThrow("[demo] options: 'timeout' must be a number above 0, got number 0");
  });
});
