import { defineKeys, key, keySpecsFactory, type ConfigValuesOf, type KeyOptions } from "@fap/core";
import { PLUGIN_NAME } from "./name.js";

/** Typed options for deploy.config.ts; each becomes the default of its key. */
export type WebpackBuildOptions = KeyOptions<typeof WEBPACK_KEYS>;
// deploy.config.ts learns the plugin's keys, at the top level, per stage and per role.
declare module "@fap/core" { interface ConfigValues extends ConfigValuesOf<typeof WEBPACK_KEYS> {} }

export const MODES = ["production", "development", "none"] as const;

export type WebpackMode = (typeof MODES)[number];

/** Every key the plugin reads, declared once: specs, options, deploy.config.ts types and the docs table come from here. */
export const WEBPACK_KEYS = defineKeys(
  {
    webpack_project_dir: key.string({ option: "projectDir", defaultDoc: "the directory fap runs in", description: "directory of the project to build (default: where fap runs); its own webpack is used" }),
    webpack_config: key.string({ option: "config", default: "webpack.config.js", description: "webpack config file, relative to the project" }),
    webpack_mode: key.oneOf(MODES, { option: "mode", default: "production", description: "passed to webpack like `webpack --mode`; wins over the config's own `mode`" }),
    webpack_output: key.string({ option: "output", defaultDoc: "the config's `output.path`", description: "directory to ship, relative to the project" }),
    webpack_target: key.string({ option: "target", defaultDoc: "the output's place in the project (e.g. `dist`)", description: "where the bundle goes in each release; `.` is the release itself. Must be a folder inside the release." }),
  },
  // The docs table's meaning, where it says more than the description.
  {
    webpack_project_dir: "the project to build (relative to where fap runs); webpack is resolved from it, as `npx webpack` there would find it",
    webpack_config: "webpack's config file, relative to the project (`.js`, `.mjs`, `.cjs`; TypeScript configs are not loaded)",
  },
);

/** The keys the plugin reads, with the factory's options as their defaults. */
export const webpackBuildKeys = keySpecsFactory(PLUGIN_NAME, WEBPACK_KEYS);
