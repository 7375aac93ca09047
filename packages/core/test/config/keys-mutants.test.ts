import { describe, expect, it } from "vitest";
import { defineKeys, key } from "../../src/config/declare-keys.js";
import { keyTable } from "../../src/config/key-table.js";
import { readKeys, toKeySpecs } from "../../src/config/key-values.js";
import { aboveZero, checkKeyType, wholeNumberAtLeast, type KeySpec } from "../../src/config/keys.js";
import { thrown } from "../../../../test/thrown.js";

// Checks the mutation run (npm run test:mutation) found untested: key checks at their limits,
// the messages of wrong values, and what declared keys read when unset.
const spec = (type: KeySpec["type"], extra: Partial<KeySpec> = {}): KeySpec => ({ type, description: "what it does", ...extra });

describe("checkKeyType: edges", () => {
  it("refuses a list for a map of commands as a list, not as hooks named 0, 1", () => {
    expect(thrown(() => checkKeyType("hooks", spec("commands"), ["echo", 1], "top level")).message).toBe(
      "top level: 'hooks' must be a map of hook name to a command or a list of commands, got a list",
    );
  });

  it("names the map, not an entry of it, when a map is given for a string", () => {
    expect(thrown(() => checkKeyType("branch", spec("string"), { main: 1 }, "top level")).message).toBe("top level: 'branch' must be a string, got a map");
  });

  it("gives the key's description as the hint when its own check refuses a value, and keeps a secret out", () => {
    const error = thrown(() => checkKeyType("n", spec("number", { check: () => "must be even" }), 3, "top level"));
    expect([error.code, error.message, error.hint]).toEqual(["E_CONFIG", "top level: 'n' must be even, got number 3", "n: what it does"]);
    expect(thrown(() => checkKeyType("pw", spec("string", { secret: true, check: () => "is too short" }), "abc", "top level")).message).toBe("top level: 'pw' is too short");
  });

  it("passes a key's own check that finds nothing wrong", () => {
    expect(() => checkKeyType("n", spec("number", { check: () => undefined }), 3, "top level")).not.toThrow();
  });
});

describe("the checks keys share", () => {
  it("takes a whole number at its least, and refuses one below it or a fraction", () => {
    const atLeast2 = wholeNumberAtLeast(2);
    expect(atLeast2(2)).toBeUndefined();
    expect(atLeast2(1)).toBe("must be a whole number of at least 2");
    expect(atLeast2(2.5)).toBe("must be a whole number of at least 2");
    expect(atLeast2.doc).toBe("whole, ≥ 2");
  });

  it("refuses anything but a number above 0", () => {
    expect(aboveZero(1e-9)).toBeUndefined();
    expect(aboveZero(-1)).toBe("must be a number above 0");
    expect(aboveZero("5")).toBe("must be a number above 0");
    expect(aboveZero.doc).toBe("> 0");
  });
});

// Keys are declared inside each test (not at load time): Stryker counts only what runs in a test.
describe("declared keys: what they read", () => {
  const demoKeys = () => defineKeys({
    demo_flag: key.boolean({ description: "no default" }),
    demo_on: key.boolean({ default: true, description: "on unless set" }),
    demo_env: key.map({ description: "no default" }),
    demo_hooks: key.commands({ description: "no default" }),
    demo_args: key.words({ description: "arguments" }),
    demo_mode: key.oneOf(["fast", "slow"], { default: "fast", description: "how" }),
    demo_size: key.number({ description: "no default" }),
    demo_name: key.string({ description: "no default" }),
  });

  it("reads unset keys: false, empty map, no words, the declared default", () => {
    expect(readKeys({}, demoKeys())).toEqual({
      demo_flag: false,
      demo_on: true,
      demo_env: {},
      demo_hooks: {},
      demo_args: [],
      demo_mode: "fast",
      demo_size: undefined,
      demo_name: undefined,
    });
  });

  it("reads set values as written", () => {
    const values = readKeys(
      { demo_flag: true, demo_on: false, demo_env: { A: "1" }, demo_hooks: { updated: "make" }, demo_args: ["-v", "--x=1 2"], demo_mode: "slow", demo_size: 0, demo_name: 2024 },
      demoKeys(),
    );
    expect(values).toEqual({
      demo_flag: true,
      demo_on: false,
      demo_env: { A: "1" },
      demo_hooks: { updated: "make" },
      demo_args: ["-v", "--x=1 2"],
      demo_mode: "slow",
      demo_size: 0,
      demo_name: "2024",
    });
  });

  it("reads a choice left blank in YAML as its default, and refuses an empty one with the choices", () => {
    expect(readKeys({ demo_mode: null }, demoKeys()).demo_mode).toBe("fast");
    expect(thrown(() => readKeys({ demo_mode: "" }, demoKeys())).message).toBe(`config: 'demo_mode' must be one of fast, slow, got string ""`);
  });

  it("splits a command on any whitespace, and reads a blank one as no words", () => {
    expect(readKeys({ demo_args: "\trun   it \n" }, demoKeys()).demo_args).toEqual(["run", "it"]);
    expect(readKeys({ demo_args: "   " }, demoKeys()).demo_args).toEqual([]);
    expect(readKeys({ demo_args: "" }, demoKeys()).demo_args).toEqual([]);
  });

  it("keeps list items that hold a dash and a space but are no option", () => {
    expect(readKeys({ demo_args: ["--flag", "a - b", "my-app x"] }, demoKeys()).demo_args).toEqual(["--flag", "a - b", "my-app x"]);
  });

  it("shows the option and its value joined by = in the hint", () => {
    const error = thrown(() => readKeys({ demo_args: ["--find-links  /srv/wheels"] }, demoKeys()));
    expect(error.code).toBe("E_CONFIG");
    expect(error.hint).toBe("write them as two items, or as one word: --find-links=/srv/wheels");
  });
});

describe("toKeySpecs: edges", () => {
  const demoKeys = () => defineKeys({
    demo_url: key.string({ option: "url", description: "where to go" }),
    demo_depth: key.number({ description: "no option" }),
    demo_token: key.string({ option: "token", secret: true, description: "a token" }),
  });

  it("refuses an unknown or malformed option as a config error, listing the options in the hint", () => {
    const unknown = thrown(() => toKeySpecs("demo", demoKeys(), { urll: "x" } as never));
    expect(unknown.code).toBe("E_CONFIG");
    expect(unknown.hint).toBe("options are: url, token");
    const malformed = thrown(() => toKeySpecs("demo", demoKeys(), 5 as never));
    expect(malformed.code).toBe("E_CONFIG");
    expect(malformed.hint).toBe("options are: url, token");
  });

  it("takes an option's value as the key's default", () => {
    expect(toKeySpecs("demo", demoKeys(), { url: "https://x" }).demo_url).toEqual({ type: "string", default: "https://x", description: "where to go" });
  });

  it("says a plugin without options has none", () => {
    const none = defineKeys({ demo_depth: key.number({ description: "no option" }) });
    expect(thrown(() => toKeySpecs("demo", none, { depth: 1 } as never)).hint).toBe("options are: none");
  });

  it("takes no options given as every declared default", () => {
    expect(toKeySpecs("demo", demoKeys())).toEqual(toKeySpecs("demo", demoKeys(), {}));
    expect(toKeySpecs("demo", demoKeys(), { url: undefined }).demo_url).toEqual({ type: "string", description: "where to go" });
  });

  it("keeps a secret's value out of the message of a failed check", () => {
    const checked = defineKeys({ demo_pin: key.string({ option: "pin", secret: true, check: () => "is too short", description: "a pin" }) });
    expect(thrown(() => toKeySpecs("demo", checked, { pin: "1234" })).message).toBe("[demo] options: 'pin' is too short");
  });
});

describe("keyTable: edges", () => {
  it("shows a command key as a string or list, and a choice as its values", () => {
    const KEYS = defineKeys({
      demo_command: key.words({ description: "the command" }),
      demo_mode: key.oneOf(["fast", "slow"], { description: "how" }),
    });
    expect(keyTable(KEYS, "demo").split("\n").slice(2)).toEqual([
      "| `demo_command` |  | string or list | unset | the command |",
      "| `demo_mode` |  | `fast` \\| `slow` | unset | how |",
    ]);
  });


  it("shows the type the declaration gives over the check's range, and JSON for a default that is no string", () => {
    const KEYS = defineKeys({
      demo_wait: key.number({ typeDoc: "seconds", check: aboveZero, default: 5, description: "wait" }),
      demo_env: key.map({ default: { A: "1" }, description: "env" }),
      demo_on: key.boolean({ default: false, description: "on", defaultDoc: "off" }),
      demo_hooks: key.commands({ description: "hooks" }),
    });
    expect(keyTable(KEYS, "demo").split("\n").slice(2)).toEqual([
      "| `demo_wait` |  | seconds | `5` | wait |",
      '| `demo_env` |  | map | `{"A":"1"}` | env |',
      "| `demo_on` |  | boolean | off | on |",
      "| `demo_hooks` |  | map of hook → command(s) | unset | hooks |",
    ]);
  });
});

describe("defineKeys: docs", () => {
  it("gives a declared key its doc, and refuses one for a key not declared as a config error", () => {
    const keys = defineKeys({ demo_url: key.string({ description: "where" }) }, { demo_url: "where, **exactly**" });
    expect(keys.demo_url.doc).toBe("where, **exactly**");
    const error = thrown(() => defineKeys({ demo_url: key.string({ description: "where" }) }, { demo_nope: "x" } as never));
    expect(error.code).toBe("E_CONFIG");
  });
});
