import { FapError, type KeySpecs } from "@fap/core";
import { PLUGIN_NAME } from "./name.js";

/** Typed options for deploy.config.ts; each becomes the default of the matching seed key. */
export interface GitOptions {
  /** `repo`: URL or path of the repository, as the hosts reach it. */
  repo?: string;
  /** `branch`: a branch, a tag or a commit sha (full or abbreviated); unset means the remote's HEAD. */
  branch?: string;
  /** `git_shallow_clone`: history depth fetched into the mirror; 0 fetches everything. */
  shallowClone?: number;
  /** `git_archive_tree`: deploy only this folder of the repository. */
  archiveTree?: string;
  /** `revision_file`: file in the release that holds the deployed commit sha. */
  revisionFile?: string;
  /** `repo_path`: where each host keeps its mirror of the repository. */
  repoPath?: string;
}

declare module "@fap/core" {
  interface ConfigValues {
    repo?: string;
    branch?: string;
    git_shallow_clone?: number;
    git_archive_tree?: string;
    revision_file?: string;
    repo_path?: string;
  }
}

/** The keys the plugin reads, with the factory's options as their defaults. */
export function gitKeys(options: GitOptions = {}): KeySpecs {
  checkOptions(options);
  return {
    repo: { type: "string", default: options.repo, description: "git repository URL or path, as the hosts reach it" },
    branch: {
      type: "string",
      default: options.branch,
      description: "branch, tag or commit sha to deploy (default: the remote's HEAD branch)",
    },
    git_shallow_clone: {
      type: "number",
      default: options.shallowClone ?? 1,
      description: "commits of history to fetch into the mirror; 0 fetches the full history",
    },
    git_archive_tree: {
      type: "string",
      default: options.archiveTree,
      description: "deploy only this folder of the repository (its content becomes the release)",
    },
    revision_file: {
      type: "string",
      default: options.revisionFile ?? "REVISION",
      description: "file in the release that receives the deployed commit sha",
    },
    repo_path: {
      type: "string",
      default: options.repoPath ?? "%(path)s/repo",
      description: "where each host keeps its mirror of the repository",
    },
  };
}

const STRING_OPTIONS = ["repo", "branch", "archiveTree", "revisionFile", "repoPath"] as const;

function checkOptions(options: GitOptions): void {
  const bad = (message: string) =>
    new FapError("E_CONFIG", `[${PLUGIN_NAME}] options: ${message}`, { hint: "e.g. git({ repo: 'git@host:owner/app.git', branch: 'main' })" });
  if (typeof options !== "object" || options === null) throw bad("expected an object of options");
  for (const name of STRING_OPTIONS) {
    const value = options[name];
    if (value !== undefined && typeof value !== "string") throw bad(`${name} must be a string, got ${typeof value}`);
  }
  const depth = options.shallowClone;
  if (depth !== undefined && !(Number.isInteger(depth) && depth >= 0)) {
    throw bad(`shallowClone must be a whole number, 0 or more, got ${String(depth)}`);
  }
}
