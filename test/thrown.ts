import { isFapError, type FapError } from "@fap/core";
import { expect } from "vitest";

/**
 * The FapError `fn` throws; the test fails when it throws something else or nothing. Read
 * through isFapError's brand, so core's own tests (importing src/) and plugins' (importing the
 * built @fap/core) share it.
 */
export function thrown(fn: () => unknown): FapError {
  try {
    fn();
  } catch (error) {
    expect(isFapError(error), `expected a FapError, got ${String(error)}`).toBe(true);
    return error as FapError;
  }
  throw new Error("expected a FapError, but nothing was thrown");
}
