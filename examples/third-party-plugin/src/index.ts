export { healthcheck as default, healthcheck } from "./healthcheck.js";
export { PLUGIN_NAME } from "./name.js";
export { HEALTHCHECK_KEYS, healthcheckKeys, type HealthcheckOptions } from "./keys.js";
export { readSettings, type HealthcheckSettings } from "./settings.js";
export { healthcheckCommand, parseResult, NO_CURL_EXIT, UNHEALTHY_EXIT } from "./command.js";
