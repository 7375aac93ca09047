import { describe, expect, it } from "vitest";
import { compareReleaseIds, formattedReleaseId } from "../../src/release/release-id.js";

// Checks the mutation run (npm run test:mutation) found untested.
describe("compareReleaseIds edges", () => {
  it("compares numbers by value whatever their leading zeros", () => {
    expect(compareReleaseIds("r0002", "r10")).toBeLessThan(0);
    expect(compareReleaseIds("r10", "r0002")).toBeGreaterThan(0);
  });

  it("puts an empty id first", () => {
    expect(compareReleaseIds("1", "")).toBeGreaterThan(0);
    expect(compareReleaseIds("", "a")).toBeLessThan(0);
  });
});

describe("formattedReleaseId", () => {
  it("refuses a format that gives no valid directory name, saying what to use", () => {
    expect(() => formattedReleaseId({ release_id_format: "%Y/%m" }, new Date(Date.UTC(2024, 0, 2)))).toThrow(
      expect.objectContaining({
        code: "E_CONFIG",
        message: expect.stringMatching(/^release_id_format gives '2024\/0?1', which is not a valid directory name$/),
        hint: "use letters, digits, '.', '_' and '-' only, e.g. %Y%m%d-%H%M%S",
      }),
    );
  });
});
