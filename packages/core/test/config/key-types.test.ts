import { describe, expect, it } from "vitest";
import { checkKeyType, type KeySpec } from "../../src/config/keys.js";
import { thrown } from "../../../../test/thrown.js";

const spec = (type: KeySpec["type"], extra: Partial<KeySpec> = {}): KeySpec => ({ type, description: "what it does", ...extra });

describe("checkKeyType: each declared type takes its values and refuses the others", () => {
  it.each<[KeySpec["type"], unknown]>([
    ["boolean", true],
    ["boolean", false],
    ["string", "main"],
    ["string", 3], // a YAML number where a string is expected (a branch named 2024) reads as its text
    ["number", 0],
    ["number", 2.5],
    ["list", ["a", "b"]],
    ["list", "one"], // Fapistrano's `linked_files: app/x.py`
    ["map", { A: "1" }],
    ["commands", { started: "echo hi", updated: ["a", "b"] }],
  ])("%s accepts %j", (type, value) => {
    expect(() => checkKeyType("k", spec(type), value, "top level")).not.toThrow();
  });

  it.each<[KeySpec["type"], unknown, string]>([
    ["boolean", "yes", "'flag' must be true or false, got string \"yes\""],
    ["boolean", "true", "'flag' must be true or false, got string \"true\""],
    ["boolean", 1, "'flag' must be true or false, got number 1"],
    ["boolean", [], "'flag' must be true or false, got a list"],
    ["string", true, "'flag' must be a string, got boolean true"],
    ["string", {}, "'flag' must be a string, got a map"],
    ["number", "3", "'flag' must be a number, got string \"3\""],
    ["number", Number.NaN, "'flag' must be a number, got number null"],
    ["number", Number.POSITIVE_INFINITY, "'flag' must be a number, got number null"],
    ["list", 3, "'flag' must be a list, got number 3"],
    ["list", { a: 1 }, "'flag' must be a list, got a map"],
    ["map", ["a"], "'flag' must be a map, got a list"],
    ["map", "a=1", "'flag' must be a map, got string \"a=1\""],
    ["commands", "echo hi", "'flag' must be a map of hook name to a command or a list of commands, got string \"echo hi\""],
  ])("%s refuses %j: one line naming the key, the type and the value", (type, value, message) => {
    const error = thrown(() => checkKeyType("flag", spec(type), value, "stage production"));
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toBe(`stage production: ${message}`);
    expect(error.hint).toBe("flag: what it does");
  });

  it.each<[unknown, string]>([
    [{ started: ["echo ok", 1] }, "'hooks.started' must be a command or a list of commands, got a list"],
    [{ started: ["echo ok", null] }, "'hooks.started' must be a command or a list of commands, got a list"],
    [{ started: ["echo ok", ["nested"]] }, "'hooks.started' must be a command or a list of commands, got a list"],
    [{ started: "echo ok", updated: 42 }, "'hooks.updated' must be a command or a list of commands, got number 42"],
    [{ started: { run: "echo" } }, "'hooks.started' must be a command or a list of commands, got a map"],
  ])("a command list with a non-string item is refused, naming the hook: %j", (value, message) => {
    const error = thrown(() => checkKeyType("hooks", spec("commands"), value, "top level"));
    expect(error.message).toBe(`top level: ${message}`);
  });

  it("never prints a secret's value, only its type", () => {
    const error = thrown(() => checkKeyType("token", spec("string", { secret: true }), { s3cr3t: 1 }, "top level"));
    expect(error.message).toBe("top level: 'token' must be a string, got object");
    expect(error.message).not.toContain("s3cr3t");
    const checked = thrown(() => checkKeyType("token", spec("string", { secret: true, check: () => "is too short" }), "s3cr3t", "top level"));
    expect(checked.message).toBe("top level: 'token' is too short");
  });

  it("runs the key's own check only once the type is right, and names the value", () => {
    let calls = 0;
    const check = (value: unknown) => (calls++, value === 0 ? "must not be 0" : undefined);
    thrown(() => checkKeyType("n", spec("number", { check }), "x", "top level"));
    expect(calls).toBe(0);
    expect(() => checkKeyType("n", spec("number", { check }), 1, "top level")).not.toThrow();
    expect(thrown(() => checkKeyType("n", spec("number", { check }), 0, "top level")).message).toBe("top level: 'n' must not be 0, got number 0");
  });
});
