export { healthcheck as default, healthcheck } from "./healthcheck.js";
export { PLUGIN_NAME } from "./name.js";
export { HEALTHCHECK_KEYS, healthcheckKeys, type HealthcheckOptions } from "./keys.js";
export { readSettings, displayUrl, type HealthcheckSettings } from "./settings.js";
export { checkCommand, parseAnswer, MARK, BODY_BYTES, LINE_CHARS, type CheckAnswer } from "./check-command.js";
