export { main, ownVersion, type MainIo } from "./main.js";
export { pluginNames, type PluginNames } from "./names.js";
export { scaffold, TEMPLATE_DIR, type ScaffoldOptions } from "./scaffold.js";
