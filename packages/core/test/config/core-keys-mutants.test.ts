import { describe, expect, it } from "vitest";
import { CORE_KEYS } from "../../src/config/core-keys.js";
import { isRelativeInside } from "../../src/config/relative-path.js";

// Checks the mutation run (npm run test:mutation) found untested: core keys' own rules at
// their edges, and which paths stay inside their folder.
const check = (name: string, value: unknown) => CORE_KEYS[name]?.check?.(value);

describe("core keys' rules", () => {
  it.each(["deploy", "_svc", "www-data", "a.b_c-1", "machine$", "#0", "#1000"])("run_as takes the user name %j", (value) => {
    expect(check("run_as", value)).toBeUndefined();
  });

  it.each(["-u", "1deploy", "deploy;rm", ";deploy", "de ploy", "a$b", "#", "#1a", "x#1", ""])("run_as refuses %j", (value) => {
    expect(check("run_as", value)).toBe("must be a user name (or #UID)");
  });

  it.each([1, 22, 65535])("port takes %j", (value) => {
    expect(check("port", value)).toBeUndefined();
  });

  it.each([0, 65536, 22.5, -22])("port refuses %j", (value) => {
    expect(check("port", value)).toBe("must be a port number (1-65535)");
  });

  it("path refuses only a leading ~", () => {
    expect(check("path", "~deploy/app")).toBe("must not start with '~' (it is not expanded: write the full path)");
    expect(check("path", "/home/~x")).toBeUndefined();
  });

  it("canary takes 0 (no canary), keep_releases and parallel start at 1", () => {
    expect(check("canary", 0)).toBeUndefined();
    expect(check("canary", -1)).toBe("must be a whole number of at least 0");
    expect(check("keep_releases", 1)).toBeUndefined();
    expect(check("parallel", 0)).toBe("must be a whole number of at least 1");
  });
});

describe("isRelativeInside", () => {
  it.each([
    ["app/x.py", true],
    ["x", true],
    ["a/.b/c..d", true],
    ["", false],
    ["/etc/x", false],
    ["../x", false],
    ["a/../../x", false],
    ["a//b", false],
    ["./a", false],
    ["a/.", false],
    ["a/", false],
  ])("%j → %s", (path, expected) => {
    expect(isRelativeInside(path)).toBe(expected);
  });
});
