import { describe, expect, it } from "vitest";
import { escapeRegExp } from "../src/escape-regexp.js";
import { FapError, fapErrorOptions, formatError, formatFapError, isFapError } from "../src/errors.js";
import { shorten } from "../src/shorten.js";
import { formatAddress } from "../src/remote.js";

// Checks the mutation run (npm run test:mutation) found untested in core's top-level files:
// FapError's fields and which codes are the user's, the printed line of each kind of error,
// a host's address as shown, and two small text helpers.

describe("FapError", () => {
  it("holds its fields; details default to an empty map, cause only when given", () => {
    const cause = new Error("inner");
    const error = new FapError("E_COMMAND_FAILED", "`make` exited with 2", { hint: "h", host: "web1", plugin: "p", hook: "updated", details: { exitCode: 2 }, cause });
    expect([error.name, error.code, error.message, error.hint, error.host, error.plugin, error.hook, error.details, error.cause]).toEqual([
      "FapError", "E_COMMAND_FAILED", "`make` exited with 2", "h", "web1", "p", "updated", { exitCode: 2 }, cause,
    ]);
    const bare = new FapError("E_USAGE", "bad");
    expect([bare.hint, bare.host, bare.plugin, bare.hook, bare.details]).toEqual([undefined, undefined, undefined, undefined, {}]);
    expect("cause" in bare).toBe(false);
    expect(error).toBeInstanceOf(Error);
  });

  it("is the user's error for the codes of what they wrote or typed (exit 2)", () => {
    const user = ["E_CONFIG", "E_CONFIG_NOT_FOUND", "E_NO_STAGE", "E_NO_ROLE", "E_INTERPOLATION", "E_PLUGIN_NOT_FOUND", "E_USAGE", "E_UPLOAD_SYMLINK"] as const;
    for (const code of user) expect(new FapError(code, "x").isUserError, code).toBe(true);
    for (const code of ["E_PLUGIN", "E_COMMAND_FAILED", "E_LOCKED", "E_SSH_CONNECT"] as const) expect(new FapError(code, "x").isUserError, code).toBe(false);
  });

  it("is recognised by its brand, also from another copy of core, and nothing else is", () => {
    expect(isFapError(new FapError("E_USAGE", "x"))).toBe(true);
    const other = Object.assign(new Error("x"), { [Symbol.for("fap.error")]: true });
    expect(isFapError(other)).toBe(true);
    expect(isFapError(Object.assign(new Error("x"), { [Symbol.for("fap.error")]: "yes" }))).toBe(false);
    expect(isFapError({ [Symbol.for("fap.error")]: true, message: "x" })).toBe(false);
    expect(isFapError(new Error("x"))).toBe(false);
    expect(isFapError(undefined)).toBe(false);
  });

  it("gives the options that copy it whole", () => {
    const cause = new Error("inner");
    const error = new FapError("E_PLUGIN", "x", { hint: "h", host: "a", plugin: "p", hook: "k", details: { n: 1 }, cause });
    expect(fapErrorOptions(error)).toEqual({ hint: "h", host: "a", plugin: "p", hook: "k", details: { n: 1 }, cause });
  });
});

describe("formatFapError and formatError", () => {
  it("put plugin, hook and host in front, each only when known", () => {
    expect(formatFapError(new FapError("E_PLUGIN", "boom", { plugin: "p", hook: "updated", host: "a" }))).toBe("[p] updated: a: boom");
    expect(formatFapError(new FapError("E_PLUGIN", "boom", { plugin: "p", host: "a" }))).toBe("[p] a: boom");
    expect(formatFapError(new FapError("E_PLUGIN", "boom", { hook: "updated", host: "a" }))).toBe("a: boom");
    expect(formatFapError(new FapError("E_PLUGIN", "boom", { host: "a" }), { host: true })).toBe("a: boom");
    expect(formatFapError(new FapError("E_PLUGIN", "boom", { host: "a" }), { host: false })).toBe("boom");
    expect(formatFapError(new FapError("E_PLUGIN", "boom"))).toBe("boom");
  });

  it("print anything thrown as one line", () => {
    expect(formatError(new FapError("E_PLUGIN", "boom", { plugin: "p", host: "a" }), { host: false })).toBe("[p] boom");
    expect(formatError(new FapError("E_PLUGIN", "boom", { host: "a" }))).toBe("a: boom");
    expect(formatError(new TypeError("bad"))).toBe("bad");
    expect(formatError("text")).toBe("text");
    expect(formatError(42)).toBe("42");
  });
});

describe("shorten", () => {
  it("cuts text longer than max to max characters ending in …", () => {
    expect(shorten("abcdef", 4)).toBe("abc…");
    expect(shorten("abcd", 4)).toBe("abcd");
    expect(shorten("abc", 4)).toBe("abc");
  });
});

describe("escapeRegExp", () => {
  it("makes every special character literal", () => {
    const text = String.raw`a.b*c+d?e^f$g{h}i(j)k|l[m]n\o/p`;
    expect(new RegExp(`^${escapeRegExp(text)}$`).test(text)).toBe(true);
    expect(escapeRegExp(".*+?^${}()|[]\\")).toBe("\\.\\*\\+\\?\\^\\$\\{\\}\\(\\)\\|\\[\\]\\\\");
    expect(escapeRegExp("plain-text")).toBe("plain-text");
  });
});

describe("formatAddress", () => {
  it("is user@host:port, an IPv6 address in brackets", () => {
    expect(formatAddress({ user: "deploy", hostname: "10.0.0.1", port: 2222 })).toBe("deploy@10.0.0.1:2222");
    expect(formatAddress({ user: "deploy", hostname: "::1", port: 22 })).toBe("deploy@[::1]:22");
  });
});
