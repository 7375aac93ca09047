export { defineConfig, definePlugin, sh, quote, raw, FapError, task, series, parallel, secret } from "@fap/core";
export type { FapConfig, ConfigValues, FapPlugin, HostContext, RunContext, Hooks, Task } from "@fap/core";
export { main } from "./main.js";
export { loadConfig, SEARCH_PLACES, type LoadedConfig } from "./load-config.js";
export { loadPlugins } from "./load-plugins.js";
export { pluginCandidates } from "./plugin-names.js";
