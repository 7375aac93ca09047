import { describe, expect, it } from "vitest";
import { describeError } from "../src/compile.js";
import { shipCommand } from "../src/ship-command.js";

const REL = "/srv/www/app/releases/240101-120000";

describe("shipCommand", () => {
  it.each([
    ["dist", `mkdir -p ${REL}/dist && tar -xzf - --no-same-owner -C ${REL}/dist`],
    ["public/assets", `mkdir -p ${REL}/public/assets && tar -xzf - --no-same-owner -C ${REL}/public/assets`],
    [".", `mkdir -p ${REL} && tar -xzf - --no-same-owner -C ${REL}`],
    ["a b/$(id)", `mkdir -p '${REL}/a b/$(id)' && tar -xzf - --no-same-owner -C '${REL}/a b/$(id)'`],
  ])("unpacks stdin into %s", (target, expected) => {
    const lines = shipCommand(REL, target).split("\n");
    expect(lines.at(-1)).toBe(expected);
    // Every directory down to the target is checked for a symlink first (the release itself is fap's).
    if (target !== ".") expect(lines[0]).toMatch(/^for fap_p in .*webpack_target .*exit 86; }; done$/);
    else expect(lines).toHaveLength(1);
  });
});

describe("describeError", () => {
  it.each([
    [
      { moduleName: "./src/index.js", loc: "3:10", message: "Module parse failed: Unexpected token (3:10)\nYou may need an appropriate loader" },
      "./src/index.js 3:10: Module parse failed: Unexpected token (3:10)",
    ],
    [{ message: "\nentry point not found\nmore" }, "entry point not found"],
  ])("%j", (error, expected) => {
    expect(describeError(error)).toBe(expected);
  });
});
