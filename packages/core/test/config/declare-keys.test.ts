import { describe, expect, expectTypeOf, it } from "vitest";
import { defineKeys, key } from "../../src/config/declare-keys.js";
import { keyTable } from "../../src/config/key-table.js";
import { readKeys, toKeySpecs, type KeyOptions } from "../../src/config/key-values.js";
import { aboveZero, wholeNumberAtLeast } from "../../src/config/keys.js";

const KEYS = defineKeys({
  demo_url: key.string({ option: "url", description: "where to go", defaultDoc: "required" }),
  demo_token: key.string({ option: "token", secret: true, description: "a token" }),
  demo_timeout: key.number({ option: "timeout", default: 30, check: aboveZero, description: "seconds to wait" }),
  demo_depth: key.number({ description: "no option, no default", check: wholeNumberAtLeast(0) }),
  demo_verbose: key.boolean({ option: "verbose", default: true, description: "say more", doc: "say **more**" }),
  demo_files: key.list({ option: "files", default: [], description: "files to copy" }),
  demo_command: key.words({ option: "command", default: "run it", description: "the command" }),
  demo_mode: key.oneOf(["fast", "slow"], { option: "mode", default: "fast", description: "how" }),
});

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  return "(no error)";
}

describe("toKeySpecs", () => {
  it("makes one runtime spec per key, the options given as defaults over the declared ones", () => {
    const specs = toKeySpecs("demo", KEYS, { url: "https://x", timeout: 5, command: ["a", "b"] });
    expect(specs.demo_url).toEqual({ type: "string", default: "https://x", description: "where to go" });
    expect(specs.demo_token).toEqual({ type: "string", secret: true, description: "a token" });
    expect(specs.demo_timeout).toMatchObject({ type: "number", default: 5, check: aboveZero });
    expect(specs.demo_verbose).toMatchObject({ type: "boolean", default: true });
    expect(specs.demo_command).toMatchObject({ type: "list", default: ["a", "b"] });
    expect(specs.demo_mode?.check?.("slower")).toBe("must be one of fast, slow");
    expect(Object.keys(specs)).toEqual(Object.keys(KEYS));
  });

  it("checks the options against the declaration, naming the option; a secret's value is never shown", () => {
    expect(message(() => toKeySpecs("demo", KEYS, { timeout: 0 }))).toBe("[demo] options: 'timeout' must be a number above 0, got number 0");
    expect(message(() => toKeySpecs("demo", KEYS, { verbose: "yes" as never }))).toBe(`[demo] options: 'verbose' must be true or false, got string "yes"`);
    expect(message(() => toKeySpecs("demo", KEYS, { mode: "slower" as never }))).toBe(`[demo] options: 'mode' must be one of fast, slow, got string "slower"`);
    expect(message(() => toKeySpecs("demo", KEYS, { token: { s3cret: 1 } as never }))).toBe("[demo] options: 'token' must be a string, got object");
    expect(message(() => toKeySpecs("demo", KEYS, { timout: 5 } as never))).toBe("[demo] options: unknown option 'timout'");
    expect(message(() => toKeySpecs("demo", KEYS, "fast" as never))).toBe("[demo] options: expected an object of options, got string");
  });
});

describe("readKeys", () => {
  it("types each value: text (empty is unset), numbers and booleans with their declared default, lists as lists", () => {
    const values = readKeys({ demo_url: "", demo_timeout: null, demo_files: "a.txt", demo_command: "sudo -n  run", demo_depth: 3 }, KEYS);
    expect(values).toEqual({
      demo_url: undefined,
      demo_token: undefined,
      demo_timeout: 30,
      demo_depth: 3,
      demo_verbose: true,
      demo_files: ["a.txt"],
      demo_command: ["sudo", "-n", "run"],
      demo_mode: "fast",
    });
    expectTypeOf(values.demo_url).toEqualTypeOf<string | undefined>();
    expectTypeOf(values.demo_timeout).toEqualTypeOf<number>();
    expectTypeOf(values.demo_depth).toEqualTypeOf<number | undefined>();
    expectTypeOf(values.demo_files).toEqualTypeOf<string[]>();
    expectTypeOf(values.demo_mode).toEqualTypeOf<"fast" | "slow">();
  });

  it("refuses a value of the wrong type, and an option and its value written as one list item", () => {
    expect(message(() => readKeys({ demo_timeout: "5" }, KEYS))).toBe(`config: 'demo_timeout' must be a number, got string "5"`);
    expect(message(() => readKeys({ demo_command: ["--find-links /srv"] }, KEYS))).toBe(
      "demo_command: '--find-links /srv' is one list item but looks like an option and its value",
    );
  });
});

describe("keyTable", () => {
  it("renders the docs table: option, type with its range and secrecy, default, meaning", () => {
    expect(keyTable(KEYS, "demo").split("\n")).toEqual([
      "| key | `demo({...})` option | type | default | meaning |",
      "| --- | --- | --- | --- | --- |",
      "| `demo_url` | `url` | string | required | where to go |",
      "| `demo_token` | `token` | string, **secret** | unset | a token |",
      "| `demo_timeout` | `timeout` | number (> 0) | `30` | seconds to wait |",
      "| `demo_depth` |  | number (whole, ≥ 0) | unset | no option, no default |",
      "| `demo_verbose` | `verbose` | boolean | `true` | say **more** |",
      "| `demo_files` | `files` | list of strings | `[]` | files to copy |",
      "| `demo_command` | `command` | string or list | `run it` | the command |",
      "| `demo_mode` | `mode` | `fast` \\| `slow` | `fast` | how |",
    ]);
  });
});

// Types: the options come from the declaration (checked by tsc in test/types).
type Options = KeyOptions<typeof KEYS>;
expectTypeOf<Options>().toEqualTypeOf<{
  url?: string;
  token?: string;
  timeout?: number;
  verbose?: boolean;
  files?: string | string[];
  command?: string | string[];
  mode?: "fast" | "slow";
}>();
