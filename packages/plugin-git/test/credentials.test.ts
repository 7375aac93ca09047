import { describe, expect, it } from "vitest";
import { repoSource, withCredential } from "../src/credentials.js";

describe("repoSource", () => {
  it.each([
    ["https://user:p%40ss@example.test/app.git", "https://example.test/app.git", "user\np@ss\n"],
    ["http://token@127.0.0.1:8080/app.git", "http://127.0.0.1:8080/app.git", "token\n\n"],
    ["git@example.test:owner/app.git", "git@example.test:owner/app.git", undefined],
    ["ssh://git@example.test/app.git", "ssh://git@example.test/app.git", undefined],
    ["/srv/git/app.git", "/srv/git/app.git", undefined],
  ])("%s", (repo, url, stdin) => {
    expect(repoSource(repo)).toEqual({ url, stdin });
  });

  it("refuses a credential holding a line break", () => {
    expect(() => repoSource("https://user:a%0Ab@example.test/app.git")).toThrow(/holds a line break/);
  });

  it("puts nothing before a command without a credential, and no credential in the command", () => {
    expect(withCredential(repoSource("/srv/app.git"), "git fetch")).toBe("git fetch");
    const command = withCredential(repoSource("https://u:secret@example.test/a.git"), "git fetch");
    expect(command).not.toContain("secret");
    expect(command.endsWith("\ngit fetch")).toBe(true);
  });
});
