import { describe, expect, it } from "vitest";
import { COMMIT_MARK, describeRevision, parseRevision } from "../src/revision.js";

const A = "a".repeat(40);
const B = "b".repeat(40);
const C = "c".repeat(40);
const D = "0123456789abcdef0123456789abcdef01234567";

describe("parseRevision", () => {
  it("finds the remote's HEAD branch when branch is unset", () => {
    expect(parseRevision(`ref: refs/heads/trunk\tHEAD\n${A}\tHEAD\n`, undefined)).toEqual({ kind: "branch", name: "trunk", sha: A });
  });

  it("takes a detached remote HEAD as a commit", () => {
    expect(parseRevision(`${A}\tHEAD\n`, undefined)).toEqual({ kind: "commit", name: A, sha: A });
  });

  it("is undefined when the remote's HEAD points nowhere", () => {
    expect(parseRevision("", undefined)).toBeUndefined();
  });

  it("finds a branch", () => {
    expect(parseRevision(`${A}\trefs/heads/main\n`, "main")).toEqual({ kind: "branch", name: "main", sha: A });
  });

  it("prefers a branch over a tag of the same name", () => {
    expect(parseRevision(`${A}\trefs/heads/v1\n${B}\trefs/tags/v1\n`, "v1")).toEqual({ kind: "branch", name: "v1", sha: A });
  });

  it("peels an annotated tag to its commit", () => {
    expect(parseRevision(`${B}\trefs/tags/v1\n${C}\trefs/tags/v1^{}\n`, "v1")).toEqual({ kind: "tag", name: "v1", sha: C });
  });

  it("takes a lightweight tag's sha as it is", () => {
    expect(parseRevision(`${B}\trefs/tags/v1\n`, "v1")).toEqual({ kind: "tag", name: "v1", sha: B });
  });

  it("ignores refs whose name only ends like the branch", () => {
    expect(parseRevision(`${A}\trefs/heads/feature/main\n`, "main")).toBeUndefined();
  });

  it("finds a commit by its abbreviated sha", () => {
    expect(parseRevision(`\n${COMMIT_MARK}\n${D}\n`, "0123456")).toEqual({ kind: "commit", name: "0123456", sha: D });
  });

  it("finds a commit by an upper-case sha", () => {
    expect(parseRevision(`\n${COMMIT_MARK}\n${D}\n`, "0123456789ABC")).toEqual({ kind: "commit", name: "0123456789ABC", sha: D });
  });

  it("is undefined when the commit lookup found nothing", () => {
    expect(parseRevision(`\n${COMMIT_MARK}\n`, "0123456")).toBeUndefined();
  });

  it("is undefined for a name that matches nothing", () => {
    expect(parseRevision(`${A}\trefs/heads/main\n`, "nope")).toBeUndefined();
  });
});

describe("describeRevision", () => {
  it.each([
    [{ kind: "branch", name: "main", sha: A }, `branch main at ${A}`],
    [{ kind: "tag", name: "v1", sha: A }, `tag v1 at ${A}`],
    [{ kind: "commit", name: "aaaa", sha: A }, `commit ${A}`],
  ] as const)("%j", (revision, expected) => {
    expect(describeRevision(revision)).toBe(expected);
  });
});
