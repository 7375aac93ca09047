import { defineKeys, key, keySpecsFactory, type ConfigValuesOf, type KeyOptions } from "@fap/core";
import { PLUGIN_NAME } from "./name.js";

/** Typed options for deploy.config.ts; each becomes the default of its key. */
export type NodeOptions = KeyOptions<typeof NODE_KEYS>;
// deploy.config.ts learns the plugin's keys, at the top level, per stage and per role.
declare module "@fap/core" { interface ConfigValues extends ConfigValuesOf<typeof NODE_KEYS> {} }

export const BUILD_MODES = ["local", "host", "none"] as const;
export const PACKAGE_MANAGERS = ["auto", "npm", "pnpm", "yarn"] as const;

export type BuildMode = (typeof BUILD_MODES)[number];
export type PackageManagerChoice = (typeof PACKAGE_MANAGERS)[number];

/** Every key the plugin reads, declared once: specs, options, deploy.config.ts types and the docs table come from here. */
export const NODE_KEYS = defineKeys(
  {
    node_build: key.oneOf(BUILD_MODES, { option: "build", default: "local", description: "where node_build_command runs: local (once, before any host is touched), host (in each release), none" }),
    node_build_command: key.string({ option: "buildCommand", default: "npm run build", description: "the build command (run with sh)" }),
    node_build_output: key.string({ option: "buildOutput", default: "dist", description: "node_build local: the folder the build writes, relative to node_project_dir; shipped to the same place in each release" }),
    node_project_dir: key.string({ option: "projectDir", defaultDoc: "the directory fap runs in", description: "node_build local: the project to build (relative to where fap runs)" }),
    node_package_manager: key.oneOf(PACKAGE_MANAGERS, { option: "packageManager", default: "auto", description: "auto: by the release's lockfile (package-lock.json or npm-shrinkwrap.json: npm, pnpm-lock.yaml: pnpm, yarn.lock: yarn)" }),
    node_cache_dir: key.string({ option: "cacheDir", default: "%(shared_path)s/node-cache", description: "the package cache shared by every release on a host (npm --cache, pnpm --store-dir, yarn --cache-folder)" }),
    node_install: key.boolean({ option: "install", default: true, description: "install the dependencies in each release; false when they are shipped with it (installed once in CI)" }),
    node_check_engines: key.boolean({ option: "checkEngines", default: true, description: "refuse a host whose node does not satisfy the package.json's engines.node" }),
  },
  // The docs table's meaning, where it says more than the description.
  {
    node_build: "where the app is built: `local` runs `node_build_command` once, where fap runs, before any host is touched, and ships `node_build_output` to every host (twelve-factor: build once); `host` runs it in each new release after a full install, then drops the dev dependencies; `none` builds nothing. Nothing is built when the package.json has no `build` script and `node_build_command` is the default",
  },
);

/** The keys the plugin reads, with the factory's options as their defaults. */
export const nodeKeys = keySpecsFactory(PLUGIN_NAME, NODE_KEYS);
