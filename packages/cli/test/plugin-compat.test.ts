import semver from "semver";
import { describe, expect, it } from "vitest";
import { caretAllows } from "../src/plugin-compat.js";

// caretAllows is checkCoreCompatible's way around loading semver for the range plugins declare.
describe("caretAllows", () => {
  const parts = [0, 1, 2, 10];
  const versions = parts.flatMap((a) => parts.flatMap((b) => parts.map((c) => `${a}.${b}.${c}`)));

  it("allows exactly what semver allows, for every ^M.m.p range and plain version of a grid", () => {
    for (const range of versions.map((v) => `^${v}`)) {
      for (const version of versions) {
        const allowed = semver.satisfies(version, range, { includePrerelease: true });
        // A refusal is left to semver (undefined), which words its message.
        expect([range, version, caretAllows(range, version)]).toEqual([range, version, allowed ? true : undefined]);
      }
    }
  });

  it("leaves every other range and version to semver", () => {
    for (const [range, version] of [
      ["~0.1.0", "0.1.0"],
      [">=0.1.0", "0.1.0"],
      ["0.1.0", "0.1.0"],
      ["^0.1", "0.1.0"],
      ["^0.1.0 || ^1.0.0", "0.1.0"],
      ["^01.0.0", "1.0.0"],
      ["^0.1.0-beta.1", "0.1.0"],
      ["^0.1.0", "0.1.1-beta.1"],
      ["^0.1.0", "0.1.0+build"],
      [" ^0.1.0", "0.1.0"],
    ] as const) {
      expect([range, version, caretAllows(range, version)]).toEqual([range, version, undefined]);
    }
  });
});
