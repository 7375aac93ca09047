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

/** The FapError `promise` rejects with; the test fails when it rejects with something else or resolves. */
export async function rejection(promise: Promise<unknown>): Promise<FapError> {
  const outcome = await promise.then(
    () => ({ resolved: true as const }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (outcome.resolved) throw new Error("expected a FapError, but the promise resolved");
  expect(isFapError(outcome.error), `expected a FapError, got ${String(outcome.error)}`).toBe(true);
  return outcome.error as FapError;
}
