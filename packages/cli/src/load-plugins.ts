import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { FapError, normalizePlugins, type FapPlugin, type PluginEntry } from "@fap/core/internal";
import { findPackage, isDirectory, readPackage, type PackageManifest } from "./_find-package.js";
import { checkCoreCompatible } from "./plugin-compat.js";
import { isPath, packageToInstall, pluginCandidates } from "./plugin-names.js";

/**
 * Turns the config's `plugins` (names, plugin objects, nested lists, falsy entries) into
 * plugin objects. Names are resolved from the config's directory, as `npm install` put them,
 * and a package made for another @fap/core than this one is refused.
 */
export async function loadPlugins(entries: readonly PluginEntry[] | undefined, dir: string): Promise<FapPlugin[]> {
  const loaded: Array<FapPlugin | false> = [];
  const visit = async (entry: PluginEntry): Promise<void> => {
    if (!entry) return;
    if (Array.isArray(entry)) {
      for (const item of entry as readonly PluginEntry[]) await visit(item);
    } else if (typeof entry === "string") {
      loaded.push(await loadByName(entry, dir));
    } else {
      loaded.push(checkPlugin(entry, "a plugin in the config"));
    }
  };
  for (const entry of entries ?? []) await visit(entry);
  return normalizePlugins(loaded);
}

async function loadByName(name: string, dir: string): Promise<FapPlugin> {
  const candidates = pluginCandidates(name);
  for (const candidate of candidates) {
    const found = locate(candidate, dir);
    if (found === undefined) continue;
    if (found.manifest) checkCoreCompatible(name, found.manifest);
    let module: { default?: unknown };
    try {
      module = (await import(pathToFileURL(found.entry).href)) as { default?: unknown };
    } catch (error) {
      throw new FapError("E_PLUGIN", `plugin '${name}' (${found.entry}) could not be loaded: ${(error as Error).message ?? error}`, {
        hint: found.manifest ? `reinstall it: npm install --save-dev ${found.manifest.name ?? candidate}` : `check the file ${candidate}`,
        cause: error,
      });
    }
    return fromModule(module.default ?? module, name);
  }
  const install = packageToInstall(name);
  if (install === undefined) {
    throw new FapError("E_PLUGIN_NOT_FOUND", `plugin '${name}' not found: no file ${path.resolve(dir, name)}`, {
      hint: `check the path; it is relative to the config's folder, ${dir}`,
    });
  }
  // Like every fap error: what is wrong on one line (every name tried, and from where), the fix on the next.
  throw new FapError("E_PLUGIN_NOT_FOUND", `plugin '${name}' not found (tried ${candidates.join(", ")} from ${dir})`, {
    hint: `npm install --save-dev ${install}`,
  });
}

interface Located {
  entry: string;
  /** The package.json of a package (undefined for a plain file). */
  manifest?: PackageManifest;
}

/** A path (file, or folder holding a package) or a package installed for `dir`; undefined if absent. */
function locate(candidate: string, dir: string): Located | undefined {
  if (!isPath(candidate)) return findPackage(candidate, dir);
  const file = path.resolve(dir, candidate);
  if (isDirectory(file) && existsSync(path.join(file, "package.json"))) return readPackage(file);
  try {
    return { entry: createRequire(path.join(dir, "deploy.config.js")).resolve(file) };
  } catch {
    return undefined;
  }
}

/** A plugin module's default export is a factory (called with no options: YAML keys configure it) or a plugin. */
function fromModule(exported: unknown, name: string): FapPlugin {
  const plugin = typeof exported === "function" ? (exported as () => unknown)() : exported;
  return checkPlugin(plugin, `plugin '${name}'`);
}

function checkPlugin(value: unknown, what: string): FapPlugin {
  const plugin = value as Partial<FapPlugin> | null;
  if (!plugin || typeof plugin.name !== "string" || typeof plugin.apply !== "function") {
    throw new FapError("E_PLUGIN", `${what} is not a fap plugin: it needs a name and an apply(fap) function`, {
      hint: "a plugin module's default export is a factory returning { name, apply }",
    });
  }
  return plugin as FapPlugin;
}
