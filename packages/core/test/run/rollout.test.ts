import { describe, expect, it } from "vitest";
import { batchSize, splitBatches } from "../../src/run/rollout.js";

describe("splitBatches", () => {
  it.each([
    [undefined, 5, [5]],
    ["2", 5, [2, 2, 1]],
    ["1", 3, [1, 1, 1]],
    ["10", 3, [3]],
    ["25%", 8, [2, 2, 2, 2]],
    ["10%", 5, [1, 1, 1, 1, 1]],
    ["100%", 4, [4]],
  ])("--batch %s over %i hosts", (batch, hosts, sizes) => {
    const items = Array.from({ length: hosts }, (_, i) => i);
    const batches = splitBatches(items, batch);
    expect(batches.map((b) => b.length)).toEqual(sizes);
    expect(batches.flat()).toEqual(items);
  });

  it.each(["0", "-1", "abc", "101%", "0%", "1.5"])("refuses --batch %s", (batch) => {
    expect(() => batchSize(batch, 4)).toThrow(/--batch/);
  });
});
