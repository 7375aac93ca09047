import { describe, expect, it } from "vitest";
import { compareReleaseIds, formatReleaseId, freeReleaseId } from "../../src/release/release-id.js";

// Release ids come in the shapes release_id_format makes (and in older ones a host may still
// hold): the order and the same-second suffix must hold for each of them (release-id.test.ts
// checks isValidReleaseId on them).
describe("release ids of different shapes", () => {
  const sorted = (ids: string[]) => [...ids].sort(compareReleaseIds);

  it.each<[string, string[]]>([
    ["%Y%m%d%H%M%S", ["20231231235959", "20240102030405", "20240102030405-2", "20240102030405-10"]],
    ["%y%m%d-%H%M%S", ["091231-235959", "240102-030405", "240102-030405-2"]],
    ["%Y-%m-%d_%H-%M-%S", ["2024-01-02_03-04-05", "2024-01-02_03-04-05-2", "2024-01-02_03-04-06"]],
    ["%Y.%m.%d", ["2024.01.09", "2024.01.10", "2024.01.10-2", "2024.02.01"]],
    ["release-%Y%m%d", ["release-20240102", "release-20240102-2", "release-20240103"]],
  ])("%s ids sort by time", (_format, ids) => {
    expect(sorted([...ids].reverse())).toEqual(ids);
    expect(sorted([ids[1]!, ids[0]!, ...ids.slice(2)])).toEqual(ids);
  });

  it("compares runs of digits as numbers, leading zeros or not", () => {
    expect(compareReleaseIds("r007", "r10")).toBeLessThan(0);
    expect(compareReleaseIds("r10", "r007")).toBeGreaterThan(0);
    expect(compareReleaseIds("r9", "r10")).toBeLessThan(0);
    expect(compareReleaseIds("r0", "r1")).toBeLessThan(0);
    expect(compareReleaseIds("r19", "r020")).toBeLessThan(0);
    // equal as numbers: the text decides, so the order is still total and stable
    expect(compareReleaseIds("r07", "r7")).toBeLessThan(0);
    expect(compareReleaseIds("r7", "r07")).toBeGreaterThan(0);
  });

  it("puts ids starting with a letter after ids starting with a digit, and compares other text as text", () => {
    expect(sorted(["x", "10", "a", "9"])).toEqual(["9", "10", "a", "x"]);
    expect(compareReleaseIds("v1-a", "v1-b")).toBeLessThan(0);
    expect(compareReleaseIds("v1_b", "v1-b")).toBeGreaterThan(0);
  });

  it("puts an id before the same id with more after it", () => {
    expect(compareReleaseIds("2024", "2024-2")).toBeLessThan(0);
    expect(compareReleaseIds("2024-2", "2024")).toBeGreaterThan(0);
    expect(compareReleaseIds("v", "v1")).toBeLessThan(0);
    expect(compareReleaseIds("", "1")).toBeLessThan(0);
  });

  it("is antisymmetric over a mixed set", () => {
    const ids = ["240102-030405", "240102-030405-2", "20240102030405", "v1.2", "v1.10", "a", "2024-01-02", "007"];
    for (const a of ids) for (const b of ids) expect(Math.sign(compareReleaseIds(a, b)) + Math.sign(compareReleaseIds(b, a))).toBe(0);
    expect(sorted(["v1.10", "v1.2"])).toEqual(["v1.2", "v1.10"]);
  });

  it("numbers a same-second id whatever its shape", () => {
    expect(freeReleaseId("2024-01-02", ["2024-01-02", "2024-01-02-2"])).toBe("2024-01-02-3");
    expect(freeReleaseId("v1.2", ["v1.2"])).toBe("v1.2-2");
    expect(freeReleaseId("v1.2", ["v1.2-2"])).toBe("v1.2");
  });

  it("formats every field, leaving unknown ones and a trailing % as written", () => {
    const date = new Date(Date.UTC(2005, 8, 7, 6, 5, 4));
    expect(formatReleaseId("%Y|%y|%m|%d|%H|%M|%S|%%|%x|%", date)).toBe("2005|05|09|07|06|05|04|%|%x|%");
  });
});
