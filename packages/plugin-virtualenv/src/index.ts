export { virtualenv as default, virtualenv } from "./virtualenv.js";
export { PLUGIN_NAME } from "./name.js";
export { VIRTUALENV_KEYS, virtualenvKeys, type VirtualenvOptions } from "./keys.js";
export { readSettings, type VirtualenvSettings } from "./settings.js";
export { pipReason } from "./pip-reason.js";
export {
  updatedCommand,
  readMarks,
  MARK,
  NO_REQUIREMENTS_EXIT,
  type Marks,
  type PreviousVenv,
  type UpdatedCommandInput,
} from "./install-venv-command.js";
