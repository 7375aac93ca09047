import { describe, expect, it } from "vitest";
import { checkLinkedPath, checkNotNested } from "../../src/shell/release.js";
import { thrown } from "../../../../test/thrown.js";

// Checks the mutation run (npm run test:mutation) found untested: the hints of the refusals.

describe("linked path refusals", () => {
  it("say how linked paths are written", () => {
    expect(thrown(() => checkLinkedPath("../x")).hint).toBe("write linked_files and linked_dirs like app/settings/production.py or log");
  });

  it("say to remove a path a linked dir already shares", () => {
    const error = thrown(() => checkNotNested(["log/app.log"], ["log/"]));
    expect(error).toMatchObject({ code: "E_CONFIG", message: "linked path 'log/app.log' is inside linked dir 'log/'" });
    expect(error.hint).toBe("it is already shared through 'log/': remove it from linked_files / linked_dirs");
  });
});
