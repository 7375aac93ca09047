import { describe, expect, it } from "vitest";
import { short } from "../src/exec.js";

describe("short", () => {
  it.each([
    ["sleep 5", "sleep 5"],
    ["a\nb", "a\\nb"],
    ["x".repeat(250), `${"x".repeat(199)}…`],
  ])("%j", (input, expected) => {
    expect(short(input)).toBe(expected);
  });
});
