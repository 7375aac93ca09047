import { describe, expect, it } from "vitest";
import { hostResultText } from "../../src/run/run-summary.js";

// Checks the mutation run (npm run test:mutation) found untested: the summary table's result
// cell, which the CLI's table and the outcome hooks both show.

describe("hostResultText", () => {
  it.each<[string, Parameters<typeof hostResultText>[0], string]>([
    ["a host that passed, whatever else is said", { ok: true, phase: "updating", note: "x" }, "ok"],
    ["a host that failed itself", { ok: false, phase: "updating" }, "failed in updating"],
    ["a host that failed itself, and what it holds now", { ok: false, phase: "published", note: "switched back" }, "failed in published; switched back"],
    ["a host stopped by another's failure: only what it holds", { ok: false, note: "not switched" }, "not switched"],
    ["a host that failed, nothing more known", { ok: false }, "failed"],
    ["an empty phase, as none", { ok: false, phase: "", note: "not switched" }, "not switched"],
  ])("%s", (_name, result, text) => {
    expect(hostResultText(result)).toBe(text);
  });
});
