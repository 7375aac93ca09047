export { pm2 as default, pm2 } from "./pm2.js";
export { PLUGIN_NAME } from "./name.js";
export { PM2_KEYS, EXEC_MODES, pm2Keys, type Pm2Options } from "./keys.js";
export { readSettings, type Pm2Settings } from "./settings.js";
export { reloadCommand, generatedEcosystem, deleteCommand, EXIT } from "./reload-command.js";
export { parseWaitOutput, formatProcess, type Pm2Process, type WaitOutput, type WaitResult } from "./output.js";
export { reloadFailure } from "./_run-reload.js";
export { pm2Status, pm2Tasks } from "./tasks.js";
export { MARK, WAIT_SCRIPT } from "./_wait-script.js";
