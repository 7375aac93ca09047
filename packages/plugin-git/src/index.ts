export { git as default, git } from "./git.js";
export { PLUGIN_NAME } from "./name.js";
export { GIT_KEYS, gitKeys, type GitOptions } from "./keys.js";
export { readSettings, type GitSettings } from "./settings.js";
export { refNameProblem, looksLikeSha } from "./ref-name.js";
export { parseRevision, describeRevision, COMMIT_MARK, type Revision } from "./revision.js";
export { startedCommand, type StartedCommandInput } from "./resolve-revision-command.js";
export { updatingCommand, NO_ARCHIVE_TREE_EXIT, type UpdatingCommandInput } from "./export-release-command.js";
