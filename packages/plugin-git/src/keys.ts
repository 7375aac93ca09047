import { defineKeys, key, keySpecsFactory, wholeNumberAtLeast, type ConfigValuesOf, type KeyOptions } from "@fap/core";
import { PLUGIN_NAME } from "./name.js";

/** Typed options for deploy.config.ts; each becomes the default of its key. */
export type GitOptions = KeyOptions<typeof GIT_KEYS>;
// deploy.config.ts learns the plugin's keys, at the top level, per stage and per role.
declare module "@fap/core" { interface ConfigValues extends ConfigValuesOf<typeof GIT_KEYS> {} }

/** Every key the plugin reads, declared once: specs, options, deploy.config.ts types and the docs table come from here. */
export const GIT_KEYS = defineKeys(
  {
    repo: key.string({ option: "repo", defaultDoc: "required", description: "git repository URL or path, as the hosts reach it" }),
    branch: key.string({ option: "branch", defaultDoc: "the remote's HEAD branch", description: "branch, tag or commit sha to deploy (default: the remote's HEAD branch)" }),
    git_shallow_clone: key.number({ option: "shallowClone", default: 1, check: wholeNumberAtLeast(0), description: "commits of history fetched into the mirror; `0` fetches every branch and tag with its full history" }),
    git_archive_tree: key.string({ option: "archiveTree", defaultDoc: "unset: the whole repository", description: "deploy only this folder of the repository (its content becomes the release)" }),
    revision_file: key.string({ option: "revisionFile", default: "REVISION", description: "file in the release that receives the deployed commit sha" }),
    repo_path: key.string({ option: "repoPath", default: "%(path)s/repo", description: "where each host keeps its mirror of the repository" }),
  },
  // The docs table's meaning, where it says more than the description.
  {
    repo: "URL or path of the repository, as the hosts reach it: `git@github.com:owner/app.git`, `https://…`, `file:///srv/git/app.git`, `/srv/git/app.git`. May not start with `-`.",
    branch: "what to deploy: a branch, a tag (an annotated tag deploys its commit) or a commit sha, full or abbreviated. A branch wins over a tag of the same name; `HEAD` also means the remote's HEAD branch.",
    git_archive_tree: "deploy only this folder; its content becomes the release (`services/web/index.html` is deployed as `index.html`)",
    revision_file: "file in the release that receives the deployed commit's full sha, replacing a file of that name from the repository (Fapistrano appended; fap overwrites). Must be a path inside the release.",
  },
);

/** The keys the plugin reads, with the factory's options as their defaults. */
export const gitKeys = keySpecsFactory(PLUGIN_NAME, GIT_KEYS);
