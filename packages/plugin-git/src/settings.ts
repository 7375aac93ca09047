import { asText, FapError } from "@fap/core";
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
  const repo = asText(config.repo);
  if (repo === undefined) {
    throw new FapError("E_CONFIG", "repo is not set", {
      hint: "set repo: at the top level of the config (e.g. git@github.com:owner/app.git), or pass --repo=URL",
    });
  }
  if (repo.startsWith("-")) {
    throw new FapError("E_CONFIG", `repo '${repo}' starts with '-', which git would read as an option`, {
      hint: "write the repository's URL or absolute path",
    });
  }

  const named = asText(config.branch);
  const branch = named === undefined || named === "HEAD" ? undefined : named;
  const problem = branch === undefined ? undefined : refNameProblem(branch);
  if (branch !== undefined && problem !== undefined) {
    throw new FapError("E_CONFIG", `branch '${branch}' is not a valid branch, tag or commit name: ${problem}`, {
      hint: `list the branches of ${repo} with: git ls-remote --heads ${repo}`,
    });
  }

  const depth = config.git_shallow_clone ?? 1;
  if (typeof depth !== "number" || !Number.isInteger(depth) || depth < 0) {
    throw new FapError("E_CONFIG", `git_shallow_clone must be a whole number, 0 or more, got ${JSON.stringify(depth)}`, {
      hint: "1 fetches only the deployed commit; 0 fetches the full history",
    });
  }

  const revisionFile = asText(config.revision_file) ?? "REVISION";
  if (!isInside(revisionFile)) {
    throw new FapError("E_CONFIG", `revision_file '${revisionFile}' must be a path inside the release`, {
      hint: "e.g. revision_file: REVISION",
    });
  }

  const repoPath = asText(config.repo_path);
  if (repoPath === undefined) {
    throw new FapError("E_CONFIG", "repo_path is empty", { hint: "leave it unset for %(path)s/repo, or give a directory on the hosts" });
  }

  return { repo, branch, depth, archiveTree: archiveTree(config.git_archive_tree), revisionFile, repoPath };
}

function archiveTree(value: unknown): string | undefined {
  const raw = asText(value);
  if (raw === undefined) return undefined;
  const clean = raw.replace(/^(\.\/)+/, "").replace(/\/+$/, "");
  if (clean === "" || clean === ".") return undefined;
  if (!isInside(clean)) {
    throw new FapError("E_CONFIG", `git_archive_tree '${raw}' must be a folder inside the repository`, {
      hint: "e.g. git_archive_tree: services/web",
    });
  }
  return clean;
}

/** A relative path without empty, '.' or '..' parts. */
function isInside(path: string): boolean {
  return path !== "" && !path.startsWith("/") &&
    path.split("/").every((part) => part !== "" && part !== "." && part !== "..");
}
