import { realpathSync } from "node:fs";
import { register } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findPackage } from "./_find-package.js";

/**
 * A module resolve hook: every import of @fap/core, or of a subpath of it, resolves as it does
 * for the running fap. Inline (a data: URL) so that it needs no file of its own beside this one.
 */
const HOOKS = `
let fapModuleUrl;
export function initialize(data) { fapModuleUrl = data.fapModuleUrl; }
export function resolve(specifier, context, next) {
  if (specifier === "@fap/core" || specifier.startsWith("@fap/core/")) return next(specifier, { ...context, parentURL: fapModuleUrl });
  return next(specifier, context);
}
`;

let registered = false;

/**
 * Makes a plugin package at `pluginDir` import the @fap/core fap runs, when the core it would
 * find itself is another copy (npm installs a global package's peer dependencies inside it,
 * and a project's plugins have the project's core when fap is global): two copies would not
 * know each other's errors and classes.
 */
export function shareCoreWith(pluginDir: string): void {
  if (registered) return;
  const fapCore = findPackage("@fap/core", path.dirname(fileURLToPath(import.meta.url)));
  if (!fapCore) return;
  // A plugin without a core of its own (peer dependencies not installed) needs fap's too.
  const pluginCore = findPackage("@fap/core", pluginDir);
  if (pluginCore && realpathSync(pluginCore.dir) === realpathSync(fapCore.dir)) return;
  register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: { fapModuleUrl: import.meta.url } });
  registered = true;
}
