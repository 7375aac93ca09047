import { FapError, readKeys, requireKey } from "@fap/core";
import { isRelativeInside } from "@fap/core/internal";
import { GIT_KEYS } from "./keys.js";
import { refNameProblem } from "./ref-name.js";

/** The plugin's keys for one host, checked. */
export interface GitSettings {
  repo: string;
  /** Undefined: the remote's HEAD branch. */
  branch: string | undefined;
  /** 0: the full history. */
  depth: number;
  /** Folder of the repository to deploy, without leading or trailing '/'; undefined: all of it. */
  archiveTree: string | undefined;
  revisionFile: string;
  repoPath: string;
}

/** Reads and checks the keys from a host's resolved config; throws E_CONFIG naming the key. */
export function readSettings(config: Readonly<Record<string, unknown>>): GitSettings {
  const keys = readKeys(config, GIT_KEYS);
  const repo = requireKey(keys, "repo", "set repo: at the top level of the config (e.g. git@github.com:owner/app.git), or pass --repo=URL");
  if (repo.startsWith("-")) {
    throw new FapError("E_CONFIG", `repo '${repo}' starts with '-', which git would read as an option`, {
      hint: "write the repository's URL or absolute path",
    });
  }

  const named = keys.branch;
  const branch = named === undefined || named === "HEAD" ? undefined : named;
  const problem = branch === undefined ? undefined : refNameProblem(branch);
  if (branch !== undefined && problem !== undefined) {
    throw new FapError("E_CONFIG", `branch '${branch}' is not a valid branch, tag or commit name: ${problem}`, {
      hint: `list the branches of ${repo} with: git ls-remote --heads ${repo}`,
    });
  }

  const revisionFile = keys.revision_file ?? "REVISION";
  if (!isRelativeInside(revisionFile)) {
    throw new FapError("E_CONFIG", `revision_file '${revisionFile}' must be a path inside the release`, {
      hint: "e.g. revision_file: REVISION",
    });
  }

  const repoPath = requireKey(keys, "repo_path", "leave it unset for %(path)s/repo, or give a directory on the hosts", "is empty");

  return { repo, branch, depth: keys.git_shallow_clone, archiveTree: archiveTree(keys.git_archive_tree), revisionFile, repoPath };
}

function archiveTree(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const clean = raw.replace(/^(\.\/)+/, "").replace(/\/+$/, "");
  if (clean === "" || clean === ".") return undefined;
  if (!isRelativeInside(clean)) {
    throw new FapError("E_CONFIG", `git_archive_tree '${raw}' must be a folder inside the repository`, {
      hint: "e.g. git_archive_tree: services/web",
    });
  }
  return clean;
}
