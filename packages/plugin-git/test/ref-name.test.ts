import { describe, expect, it } from "vitest";
import { looksLikeSha, refNameProblem } from "../src/ref-name.js";

describe("refNameProblem", () => {
  it.each([
    "main",
    "feature/login",
    "v1.2.3",
    "release-2024.01",
    "$(touch${IFS}x)",
    ";rm${IFS}-rf${IFS}/x",
    "`id`",
    "a'b\"c",
  ])("accepts %j", (name) => {
    expect(refNameProblem(name)).toBeUndefined();
  });

  it.each([
    ["", "it is empty"],
    ["-x", "it starts with '-'"],
    ["--upload-pack=touch", "it starts with '-'"],
    ["@", "it is '@'"],
    ["$(touch /tmp/x)", "it contains a space, a control character or one of ~ ^ : ? * [ \\"],
    [";rm -rf /", "it contains a space, a control character or one of ~ ^ : ? * [ \\"],
    ["a\nb", "it contains a space, a control character or one of ~ ^ : ? * [ \\"],
    ["main~1", "it contains a space, a control character or one of ~ ^ : ? * [ \\"],
    ["HEAD^", "it contains a space, a control character or one of ~ ^ : ? * [ \\"],
    ["a:b", "it contains a space, a control character or one of ~ ^ : ? * [ \\"],
    ["ma*", "it contains a space, a control character or one of ~ ^ : ? * [ \\"],
    ["a..b", "it contains '..'"],
    ["a@{1}", "it contains '@{'"],
    ["/main", "it has an empty path component"],
    ["main/", "it has an empty path component"],
    ["a//b", "it has an empty path component"],
    ["main.", "it ends with '.'"],
    [".hidden", "a component starts with '.' or ends with '.lock'"],
    ["a/.b", "a component starts with '.' or ends with '.lock'"],
    ["main.lock", "a component starts with '.' or ends with '.lock'"],
  ])("rejects %j", (name, problem) => {
    expect(refNameProblem(name)).toBe(problem);
  });
});

describe("looksLikeSha", () => {
  it.each([
    ["83a5f3a", true],
    ["83A5F3A", true],
    ["beef", true],
    ["abc", false],
    ["83a5f3ade1586a63f1f040d33a5e6141b3bee61c", true],
    ["83a5f3ade1586a63f1f040d33a5e6141b3bee61cz", false],
    ["main", false],
  ])("%j → %j", (name, expected) => {
    expect(looksLikeSha(name)).toBe(expected);
  });
});
