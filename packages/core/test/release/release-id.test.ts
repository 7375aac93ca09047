import { describe, expect, it } from "vitest";
import { CORE_KEYS } from "../../src/config/core-keys.js";
import { compareReleaseIds, formatReleaseId, freeReleaseId, isValidReleaseId } from "../../src/release/release-id.js";

const FAPISTRANO_FORMAT = String(CORE_KEYS.release_id_format?.default);

describe("formatReleaseId", () => {
  it("uses Fapistrano's %y%m%d-%H%M%S by default", () => {
    expect(FAPISTRANO_FORMAT).toBe("%y%m%d-%H%M%S");
  });

  it.each([
    [FAPISTRANO_FORMAT, "2024-01-02T03:04:05Z", "240102-030405"],
    [FAPISTRANO_FORMAT, "2009-12-31T23:59:59Z", "091231-235959"],
    ["%Y%m%d%H%M%S", "2024-01-02T03:04:05Z", "20240102030405"],
    ["%Y-%m-%d_%H-%M-%S", "2024-11-30T13:14:15Z", "2024-11-30_13-14-15"],
    ["release-%Y%%", "2024-01-02T03:04:05Z", "release-2024%"],
    ["%Q unknown stays", "2024-01-02T03:04:05Z", "%Q unknown stays"],
  ])("%s at %s → %s", (format, iso, expected) => {
    expect(formatReleaseId(format, new Date(iso))).toBe(expected);
  });

  it("formats in UTC whatever the local time zone", () => {
    // 23:30 on Dec 31 in UTC-5 is already the next year in UTC.
    expect(formatReleaseId(FAPISTRANO_FORMAT, new Date("2024-12-31T23:30:00-05:00"))).toBe("250101-043000");
  });
});

describe("freeReleaseId", () => {
  it.each([
    [[], "240102-030405"],
    [["240101-000000"], "240102-030405"],
    [["240102-030405"], "240102-030405-2"],
    [["240102-030405", "240102-030405-2"], "240102-030405-3"],
    [["240102-030405", "240102-030405-3"], "240102-030405-2"],
  ])("taken %j → %s", (taken, expected) => {
    expect(freeReleaseId("240102-030405", taken)).toBe(expected);
  });

  it("accepts any iterable", () => {
    expect(freeReleaseId("a", new Set(["a"]))).toBe("a-2");
  });
});

describe("compareReleaseIds", () => {
  const sorted = (ids: string[]) => [...ids].sort(compareReleaseIds);

  it("orders seed-format ids by time", () => {
    expect(sorted(["240102-030405", "231231-235959", "240102-030404"])).toEqual(["231231-235959", "240102-030404", "240102-030405"]);
  });

  it("puts same-second ids after the plain one, -10 after -9", () => {
    const ids = ["240102-030405", ...Array.from({ length: 11 }, (_, i) => `240102-030405-${i + 2}`)];
    expect(sorted([...ids].reverse())).toEqual(ids);
    expect(compareReleaseIds("240102-030405-10", "240102-030405-9")).toBeGreaterThan(0);
    expect(compareReleaseIds("240102-030405-9", "240102-030406")).toBeLessThan(0);
  });

  it("keeps time order for formats whose fields are separated by dashes", () => {
    // %Y-%m-%d: three deploys on the 2nd, then one on the 3rd.
    expect(sorted(["2024-01-03", "2024-01-02-3", "2024-01-02", "2024-01-02-2"])).toEqual([
      "2024-01-02",
      "2024-01-02-2",
      "2024-01-02-3",
      "2024-01-03",
    ]);
    // %Y-%m-%d_%H-%M-%S with a same-second suffix.
    expect(sorted(["2024-01-02_15-30-05", "2024-01-02_15-30-00-2", "2024-01-02_15-30-00"])).toEqual([
      "2024-01-02_15-30-00",
      "2024-01-02_15-30-00-2",
      "2024-01-02_15-30-05",
    ]);
  });

  it("is 0 only for the same id", () => {
    expect(compareReleaseIds("240102-030405", "240102-030405")).toBe(0);
    expect(compareReleaseIds("240102-030405-2", "240102-030405-2")).toBe(0);
  });
});

describe("isValidReleaseId", () => {
  // The shapes release_id_format makes, and other names of letters, digits, '.', '_' and '-'.
  it.each(["240102-030405", "2024-01-02_15-30-00", "2024-01-02_03-04-05", "v1.2", "v1.2.3", "A", "0", "a..b"])("accepts %j", (id) => {
    expect(isValidReleaseId(id)).toBe(true);
  });

  // Empty, '.' or '..', a leading '.', '_' or '-', a path, white space, shell and non-ASCII characters.
  it.each(["", ".", "..", ".hidden", "_x", "-x", "-rf", "a/b", "x/", "a b", "x\n", "x\ny", "$(x)", "x$", "x'y", "x;y", "x:y", "é"])("refuses %j", (id) => {
    expect(isValidReleaseId(id)).toBe(false);
  });
});
