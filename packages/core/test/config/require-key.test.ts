import { describe, expect, expectTypeOf, it } from "vitest";
import { requireKey } from "../../src/config/require-key.js";
import { isFapError } from "../../src/errors.js";

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("requireKey", () => {
  const keys: { readonly demo_url: string | undefined; readonly demo_name: string | undefined } = { demo_url: "https://x", demo_name: undefined };

  it("returns a set value, typed as set", () => {
    const url = requireKey(keys, "demo_url", "set demo_url");
    expect(url).toBe("https://x");
    expectTypeOf(url).toEqualTypeOf<string>();
  });

  it("refuses an unset key with E_CONFIG, the key's name and the hint", () => {
    const error = thrownBy(() => requireKey(keys, "demo_name", "set demo_name: to the app's name"));
    expect(isFapError(error)).toBe(true);
    expect(error).toMatchObject({ code: "E_CONFIG", message: "demo_name is not set", hint: "set demo_name: to the app's name" });
  });

  it("says 'is empty' for a key with a default, which reads unset only where it was emptied", () => {
    expect(thrownBy(() => requireKey(keys, "demo_name", "leave it unset for app_name", "is empty"))).toMatchObject({ message: "demo_name is empty" });
  });
});
