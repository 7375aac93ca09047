import { describe, expect, it } from "vitest";
import git, { PLUGIN_NAME } from "../src/index.js";
import { readSettings } from "../src/settings.js";
import { expectNamedWithDefaults, expectRegistered, keyDefaults } from "../../../test/plugin-keys.js";
import { thrown } from "../../../test/thrown.js";

describe("git()", () => {
  it("is named fap:git and declares Fapistrano's keys, with its options as defaults", () => {
    expectNamedWithDefaults(git({ repo: "/tmp/app.git", branch: "main", shallowClone: 0, archiveTree: "web", revisionFile: "REV", repoPath: "/srv/mirror" }), PLUGIN_NAME, {
      repo: "/tmp/app.git",
      branch: "main",
      git_shallow_clone: 0,
      git_archive_tree: "web",
      revision_file: "REV",
      repo_path: "/srv/mirror",
    });
  });

  it("defaults like Fapistrano when called with no options, as YAML's plugins: [fapistrano.git] does", () => {
    const defaults = keyDefaults(git());
    expect(defaults).toEqual({
      repo: undefined,
      branch: undefined,
      git_shallow_clone: 1,
      git_archive_tree: undefined,
      revision_file: "REVISION",
      repo_path: "%(path)s/repo",
    });
  });

  it("registers with core", () => {
    expectRegistered(git(), "git_shallow_clone", "number");
  });

  it.each([
    [{ shallowClone: -1 }, "[fap:git] options: 'shallowClone' must be a whole number of at least 0, got number -1"],
    [{ shallowClone: 1.5 }, "[fap:git] options: 'shallowClone' must be a whole number of at least 0, got number 1.5"],
    [{ branch: true }, "[fap:git] options: 'branch' must be a string, got boolean true"],
  ])("rejects %j", (options, message) => {
    expect(() => git(options as never)).toThrow(expect.objectContaining({ code: "E_CONFIG", message }));
  });
});

describe("readSettings", () => {
  const config = { repo: "/tmp/app.git", git_shallow_clone: 1, revision_file: "REVISION", repo_path: "/srv/www/app/repo" };

  it("reads a host's resolved keys", () => {
    expect(readSettings({ ...config, branch: "main", git_archive_tree: "./services/web/" })).toEqual({
      repo: "/tmp/app.git",
      branch: "main",
      depth: 1,
      archiveTree: "services/web",
      revisionFile: "REVISION",
      repoPath: "/srv/www/app/repo",
    });
  });

  it.each([
    [{ branch: "HEAD" }, undefined],
    [{ branch: "" }, undefined],
    [{ git_archive_tree: "." }, undefined],
  ])("treats %j as unset", (values, expected) => {
    const settings = readSettings({ ...config, ...values });
    expect("branch" in values ? settings.branch : settings.archiveTree).toBe(expected);
  });

  it.each([
    [{ repo: undefined }, "repo is not set"],
    [{ repo: "--upload-pack=touch /tmp/x" }, "repo '--upload-pack=touch /tmp/x' starts with '-', which git would read as an option"],
    [{ branch: "-b" }, "branch '-b' is not a valid branch, tag or commit name: it starts with '-'"],
    [{ branch: "$(touch /tmp/x)" }, "branch '$(touch /tmp/x)' is not a valid branch, tag or commit name: it contains a space, a control character or one of ~ ^ : ? * [ \\"],
    [{ git_shallow_clone: -1 }, "config: 'git_shallow_clone' must be a whole number of at least 0, got number -1"],
    [{ git_archive_tree: "../etc" }, "git_archive_tree '../etc' must be a folder inside the repository"],
    [{ git_archive_tree: "/etc" }, "git_archive_tree '/etc' must be a folder inside the repository"],
    [{ revision_file: "../REVISION" }, "revision_file '../REVISION' must be a path inside the release"],
  ])("rejects %j", (values, message) => {
    const error = thrown(() => readSettings({ ...config, ...values }));
    expect(error).toMatchObject({ code: "E_CONFIG", message });
  });
});
