import { describe, expect, it } from "vitest";
import { checkLinkedPath, checkNotNested, checkSharedPaths } from "../../src/shell/release.js";
import { thrown } from "../../../../test/thrown.js";

// Checks the mutation run (npm run test:mutation) found untested: the hints of the refusals,
// several trailing slashes, and linked_files checked when there are no linked_dirs.

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

describe("checkLinkedPath", () => {
  it("takes off every trailing slash", () => {
    expect(checkLinkedPath("log//")).toBe("log");
  });
});

describe("checkSharedPaths", () => {
  it("checks linked_files when there are no linked_dirs", () => {
    expect(thrown(() => checkSharedPaths({ linked_files: ["config.yml", "../etc/passwd"] })).message).toBe(
      "linked path '../etc/passwd' must be relative to the release, without '.', '..' or empty parts",
    );
  });
});
