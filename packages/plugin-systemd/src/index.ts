export { systemd as default, systemd } from "./systemd.js";
export { PLUGIN_NAME } from "./name.js";
export { SYSTEMD_KEYS, ACTIONS, systemdKeys, type SystemdOptions } from "./keys.js";
export { readSettings, type SystemdSettings } from "./settings.js";
export { unitCommand, stopCommand, type UnitAction } from "./command.js";
export { parseUnitOutput, formatUnit, type UnitState, type UnitOutput, type WaitResult } from "./output.js";
export { unitFailure } from "./_run-units.js";
export { systemdStatus, systemdTasks } from "./tasks.js";
export { EXIT, MARK, SCRIPT } from "./_script.js";
