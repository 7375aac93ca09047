import { describe, expect, it } from "vitest";
import { FapError, isFapError } from "../../src/errors.js";
import { Redactor, redactError, redactor } from "../../src/secrets/redact.js";
import { secretForms } from "../../src/secrets/secret-forms.js";
import { resolveSecrets, secret } from "../../src/secrets/secrets.js";

// core's redaction was tested only through the CLI (packages/cli/test/redaction.test.ts, which
// runs the built dist): the mutation run of core's own tests saw none of it. These check it
// at the source.

describe("secretForms", () => {
  it("gives the text, its shell-quoted and JSON forms, and each line", () => {
    expect(secretForms("it's\nsecret")).toEqual([
      "it's\nsecret",
      "it'\\''s\nsecret",
      "it's\\nsecret",
      "it'\\\\''s\\nsecret",
      "it's\\\\nsecret",
      "it's%0Asecret",
      "it's",
      "it'\\''s",
      "it'\\\\''s",
      "secret",
    ]);
  });

  it("gives a URL's password, decoded and as written", () => {
    const forms = secretForms("https://user:p%40ss-word@example.test/repo.git");
    expect(forms).toContain("p%40ss-word");
    expect(forms).toContain("p@ss-word");
  });

  it("gives the password of every URL the URL standard reads one from, also without `//` or after spaces", () => {
    expect(secretForms("http:user:hunter22@example.test")).toContain("hunter22");
    expect(secretForms("  https://user:hunter23@example.test/")).toContain("hunter23");
    // A scheme other URLs have no host part in: no password to take.
    expect(secretForms("mailto:user:hunter24@example.test")).not.toContain("hunter24");
  });

  it("leaves forms under 4 characters out, and a URL without a password adds nothing", () => {
    expect(secretForms("abc")).toEqual([]);
    expect(secretForms("ab\ncdef")).toEqual(["ab\ncdef", "ab\\ncdef", "ab\\\\ncdef", "ab%0Acdef", "cdef"]);
    expect(secretForms("https://user@example.test/")).toEqual(["https://user@example.test/", "https%3A%2F%2Fuser%40example.test%2F"]);
    expect(secretForms("ftp://host/x@y")).not.toContain("");
  });

  it("keeps forms of exactly 4 characters, and splits CRLF lines without their \\r", () => {
    expect(secretForms("abcd")).toEqual(["abcd"]);
    expect(new Redactor(["abcd\r\nefgh"]).text("line abcd, line efgh")).toBe("line ***, line ***");
  });

  it("survives a value that looks like a URL but is none", () => {
    expect(secretForms("https://user:pw12@[::1/")).toEqual(["https://user:pw12@[::1/", "https%3A%2F%2Fuser%3Apw12%40%5B%3A%3A1%2F", "https://user:pw12@%5B::1/"]);
  });

  it("keeps a password that is not valid percent-encoding as written", () => {
    expect(secretForms("https://u:100%zz@example.test/")).toContain("100%zz");
  });
});

describe("Redactor", () => {
  it("replaces every form of every secret, the longest first", () => {
    const r = new Redactor(["hunter22", "hunter2233"]);
    expect(r.active).toBe(true);
    expect(r.text("a hunter2233 b hunter22 c")).toBe("a *** b *** c");
  });

  it("is inactive without secrets, and ignores non-strings and repeats", () => {
    const r = new Redactor();
    expect(r.active).toBe(false);
    expect(r.text("plain")).toBe("plain");
    const value = { a: "x" };
    expect(r.deep(value)).toBe(value);
    const error = new Error("e");
    expect(r.error(error)).toBe(error);
    r.add([42 as unknown as string]);
    expect(r.active).toBe(false);
    r.add(["s3cr3t"]).add(["s3cr3t"]);
    expect(r.text("s3cr3t s3cr3t")).toBe("*** ***");
  });

  it("redacts nothing, not even empty matches, when every secret is too short", () => {
    const r = new Redactor(["abc"]);
    expect(r.text("x abc")).toBe("x abc");
    expect(new Redactor().text("undefined value")).toBe("undefined value");
  });

  it("redacts the cause of a plain error and keeps the original stack's frames", () => {
    const r = new Redactor(["s3cr3t"]);
    const error = new Error("outer s3cr3t", { cause: new Error("inner s3cr3t") });
    const copy = r.error(error) as Error;
    expect((copy.cause as Error).message).toBe("inner ***");
    expect(copy.stack).toBe(error.stack!.replaceAll("s3cr3t", "***"));
    const stackless = new Error("s3cr3t");
    stackless.stack = undefined;
    expect((r.error(stackless) as Error).message).toBe("***");
  });

  it("redacts strings deep in arrays and plain objects, keeps cycles and other objects", () => {
    const r = new Redactor(["s3cr3t"]);
    const date = new Date(0);
    const cyclic: Record<string, unknown> = { text: "is s3cr3t", list: ["s3cr3t", 1, null], date };
    cyclic["self"] = cyclic;
    const shared = ["s3cr3t"];
    const out = r.deep({ cyclic, a: shared, b: shared, bare: Object.assign(Object.create(null), { k: "s3cr3t" }) as object });
    expect(out.cyclic["text"]).toBe("is ***");
    expect(out.cyclic["list"]).toEqual(["***", 1, null]);
    expect(out.cyclic["date"]).toBe(date);
    expect(out.cyclic["self"]).toBe(out.cyclic);
    expect(out.a).toBe(out.b);
    expect(out.bare).toEqual({ k: "***" });
    expect(cyclic["text"]).toBe("is s3cr3t");
  });

  it("copies a FapError with message, hint, details, stack and cause redacted, and every field kept", () => {
    const r = new Redactor(["s3cr3t"]);
    const cause = Object.assign(new TypeError("bad s3cr3t"), { code: "EBAD" });
    const error = new FapError("E_COMMAND_FAILED", "ran s3cr3t", { hint: "unset s3cr3t", host: "web1", plugin: "p", hook: "started", details: { stderr: "s3cr3t!" }, cause });
    const copy = r.error(error) as FapError;
    expect(isFapError(copy)).toBe(true);
    expect(copy).not.toBe(error);
    expect(copy).toMatchObject({ code: "E_COMMAND_FAILED", message: "ran ***", hint: "unset ***", host: "web1", plugin: "p", hook: "started", details: { stderr: "***!" } });
    expect(copy.stack).not.toContain("s3cr3t");
    expect(copy.stack).toContain("ran ***");
    const copiedCause = copy.cause as Error & { code?: string };
    expect(copiedCause).toBeInstanceOf(Error);
    expect([copiedCause.name, copiedCause.message, copiedCause.code]).toEqual(["TypeError", "bad ***", "EBAD"]);
    expect(error.message).toBe("ran s3cr3t");
  });

  it("copies a FapError without hint or cause as such, and a plain error without cause or code", () => {
    const r = new Redactor(["s3cr3t"]);
    const copy = r.error(new FapError("E_CONFIG", "s3cr3t")) as FapError;
    expect(copy.hint).toBeUndefined();
    expect(copy.cause).toBeUndefined();
    expect("cause" in copy).toBe(false);
    const plain = r.error(new Error("s3cr3t")) as Error;
    expect("cause" in plain).toBe(false);
    expect("code" in plain).toBe(false);
    expect(plain.message).toBe("***");
  });

  it("redactor() and redactError() build one from a list, or use the given one", () => {
    expect(redactor(["s3cr3t"])("x s3cr3t")).toBe("x ***");
    expect((redactError(new Error("s3cr3t"), ["s3cr3t"]) as Error).message).toBe("***");
    expect((redactError(new Error("s3cr3t"), new Redactor(["s3cr3t"])) as Error).message).toBe("***");
    expect(redactError("not an error s3cr3t", ["s3cr3t"])).toBe("not an error ***");
  });
});

describe("secrets from the environment", () => {
  it("secret() checks the name", () => {
    expect(secret("API_TOKEN")).toBe("env:API_TOKEN");
    expect(() => secret("1BAD")).toThrow(/^secret\('1BAD'\): not an environment variable name$/);
    expect(() => secret("a-b")).toThrow(expect.objectContaining({ code: "E_CONFIG", hint: "use letters, digits and _" }));
    expect(() => secret("x y")).toThrow(/not an environment variable name/);
  });

  it("resolves env:NAME everywhere but under plugins and tasks, naming the key of a missing one", () => {
    const env = { TOKEN: "t0ken", LIST: "l1st" };
    const { config, secrets } = resolveSecrets(
      { token: "env:TOKEN", stage: { web: { items: ["a", "env:LIST"] } }, plain: "env:lower-case", n: 3, plugins: { x: "env:NOPE" }, tasks: { y: "env:NOPE" } },
      env,
    );
    expect(config).toEqual({ token: "t0ken", stage: { web: { items: ["a", "l1st"] } }, plain: "env:lower-case", n: 3, plugins: { x: "env:NOPE" }, tasks: { y: "env:NOPE" } });
    expect(secrets).toEqual(["t0ken", "l1st"]);
    expect(() => resolveSecrets({ stage: { web: { list: ["env:NOPE"] } } }, {})).toThrow(/^stage\.web\.list\[0\]: the environment variable NOPE is not set$/);
    expect(() => resolveSecrets({ key: "env:EMPTY" }, { EMPTY: "" })).toThrow(/^key: the environment variable EMPTY is not set$/);
    expect(() => resolveSecrets({ key: "env:EMPTY" }, {})).toThrow(expect.objectContaining({ code: "E_CONFIG" }));
    // Only at the top: a key named plugins further down is resolved.
    expect(resolveSecrets({ stage: { plugins: "env:TOKEN" } }, env).config).toEqual({ stage: { plugins: "t0ken" } });
  });

  it("says how to fix a missing variable", () => {
    try {
      resolveSecrets({ key: "env:NOPE" }, {});
      expect.unreachable();
    } catch (error) {
      expect((error as FapError).hint).toBe("export NOPE=... before running fap (secrets never live in the config)");
    }
  });
});
