import { describe, expect, it } from "vitest";
import { commanderError } from "../src/main.js";

describe("commanderError", () => {
  it.each([
    ["error: unknown command 'deplyo'\n(Did you mean deploy?)\n", "error: unknown command 'deplyo'\nhint: did you mean deploy? fap --help lists the commands and options\n"],
    ["error: option '-s, --stage <stage>' argument missing\n", "error: option '-s, --stage <stage>' argument missing\nhint: fap --help lists the commands and options\n"],
  ])("prints %j as one error line and one hint line", (text, expected) => {
    expect(commanderError(text)).toBe(expected);
  });
});
