import { describe, expect, it } from "vitest";
import { httpStatus } from "../../src/config/keys.js";

describe("httpStatus", () => {
  it.each([100, 200, 599])("takes %d", (status) => {
    expect(httpStatus(status)).toBeUndefined();
  });

  it.each([99, 600, 200.5, "200"])("refuses %j", (status) => {
    expect(httpStatus(status)).toBe("must be an HTTP status (100-599)");
  });

  it("shows its range in the docs table's type column", () => {
    expect(httpStatus.doc).toBe("100-599");
  });
});
