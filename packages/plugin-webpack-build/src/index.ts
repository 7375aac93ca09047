export { webpackBuild as default, webpackBuild, STAGE_SHIP } from "./webpack-build.js";
export { PLUGIN_NAME } from "./name.js";
export { WEBPACK_KEYS, webpackBuildKeys, MODES, type WebpackBuildOptions, type WebpackMode } from "./keys.js";
export { readBuildSettings, readTarget, defaultTarget, BUILD_KEYS, type BuildSettings } from "./settings.js";
export { compile, describeError, type CompileResult, type CompileOptions } from "./compile.js";
export { pack, type Bundle } from "./pack.js";
export { shipCommand } from "./ship-command.js";
