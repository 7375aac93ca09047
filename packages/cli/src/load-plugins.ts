import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { FapError, normalizePlugins, type FapPlugin, type PluginEntry } from "@fap/core/internal";
import { findPackage, isDirectory, readPackage, type PackageManifest } from "./_find-package.js";
import { fapInstall, installCommand, runningCliDir, type FapInstall } from "./fap-install.js";
import { checkCoreCompatible } from "./plugin-compat.js";
import { isPath, packageToInstall, pluginCandidates } from "./plugin-names.js";
import { shareCoreWith } from "./share-core.js";

export interface LoadPluginsOptions {
  /** The running @fap/cli's folder; plugins installed beside it are found after the config's. */
  cliDir?: string;
  /** Told, one line per named plugin, which package was loaded and from where (fap -v). */
  report?: (line: string) => void;
}

/** Where a plugin named in the config was found: for -v and fap doctor. */
export interface PluginOrigin {
  /** The name as the config gives it. */
  name: string;
  /** The file loaded, and the package it belongs to (none for a plain file). */
  file: string;
  package?: string;
  version?: string;
  /** `config`: the config's folder (its node_modules or a path); `fap`: beside the running fap. */
  from: "config" | "fap";
  /** The running fap's install: what `from: fap` means. */
  install: FapInstall;
}

const origins = new WeakMap<FapPlugin, PluginOrigin>();

/** Where a plugin loaded by name came from; undefined for plugin objects in a config. */
export function pluginOrigin(plugin: FapPlugin): PluginOrigin | undefined {
  return origins.get(plugin);
}

/** One line naming a plugin's package, version and folder. */
export function describeOrigin(origin: PluginOrigin): string {
  const what = origin.package ? `${origin.package}@${origin.version ?? "?"}` : origin.file;
  const where = origin.from === "config" ? "the config's folder" : `fap's own install (${origin.install.kind})`;
  return `plugin '${origin.name}': ${what} from ${where}, ${origin.file}`;
}

/**
 * Turns the config's `plugins` (names, plugin objects, nested lists, falsy entries) into
 * plugin objects. A name is looked for first from the config's folder, as `npm install` put
 * it there, then beside the running fap (a global prefix, npx's cache), as `npm install -g`
 * or `npx -p` put it there. A package made for another @fap/core than this one is refused.
 */
export async function loadPlugins(entries: readonly PluginEntry[] | undefined, dir: string, options: LoadPluginsOptions = {}): Promise<FapPlugin[]> {
  const install = fapInstall(dir, options.cliDir ?? runningCliDir());
  const loaded: Array<FapPlugin | false> = [];
  const visit = async (entry: PluginEntry): Promise<void> => {
    if (!entry) return;
    if (Array.isArray(entry)) {
      for (const item of entry as readonly PluginEntry[]) await visit(item);
    } else if (typeof entry === "string") {
      const { plugin, origin } = await loadByName(entry, dir, install);
      origins.set(plugin, origin);
      options.report?.(describeOrigin(origin));
      loaded.push(plugin);
    } else {
      loaded.push(checkPlugin(entry, "a plugin in the config"));
    }
  };
  for (const entry of entries ?? []) await visit(entry);
  return normalizePlugins(loaded);
}

async function loadByName(name: string, dir: string, install: FapInstall): Promise<{ plugin: FapPlugin; origin: PluginOrigin }> {
  const candidates = pluginCandidates(name);
  const installWith = (packages: readonly string[]) => installCommand(install, dir, packages);
  const found = findPlugin(candidates, dir, install);
  if (found) {
    if (found.manifest) await checkCoreCompatible(name, found.manifest, undefined, installWith);
    // Beside a global fap, npm gives each package its own copy of the peer @fap/core.
    if (found.manifest) shareCoreWith(found.dir ?? path.dirname(found.entry));
    let module: { default?: unknown };
    try {
      module = (await import(pathToFileURL(found.entry).href)) as { default?: unknown };
    } catch (error) {
      throw new FapError("E_PLUGIN", `plugin '${name}' (${found.entry}) could not be loaded: ${(error as Error).message ?? error}`, {
        hint: found.manifest ? `reinstall it: ${installWith([found.manifest.name ?? found.candidate])}` : `check the file ${found.candidate}`,
        cause: error,
      });
    }
    const plugin = fromModule(module.default ?? module, name);
    const origin: PluginOrigin = { name, file: found.entry, from: found.from, install };
    if (found.manifest?.name) origin.package = found.manifest.name;
    if (found.manifest?.version) origin.version = found.manifest.version;
    return { plugin, origin };
  }
  const toInstall = packageToInstall(name);
  if (toInstall === undefined) {
    throw new FapError("E_PLUGIN_NOT_FOUND", `plugin '${name}' not found: no file ${path.resolve(dir, name)}`, {
      hint: `check the path; it is relative to the config's folder, ${dir}`,
    });
  }
  // Like every fap error: what is wrong on one line (every name tried, and from where), the fix on the next.
  const also = searchesBesideFap(install) ? ` and from fap's own install, ${path.dirname(install.cliDir)}` : "";
  throw new FapError("E_PLUGIN_NOT_FOUND", `plugin '${name}' not found (tried ${candidates.join(", ")} from ${dir}${also})`, {
    hint: installWith([toInstall]),
  });
}

/** A fap installed in the config's project finds nothing beside itself that the project does not. */
function searchesBesideFap(install: FapInstall): boolean {
  return install.kind !== "project";
}

/** Every candidate from the config's folder first, then every candidate from beside fap. */
function findPlugin(candidates: readonly string[], dir: string, install: FapInstall): (Located & { candidate: string; from: PluginOrigin["from"] }) | undefined {
  for (const candidate of candidates) {
    const found = locate(candidate, dir);
    if (found) return { ...found, candidate, from: "config" };
  }
  if (!searchesBesideFap(install)) return undefined;
  for (const candidate of candidates) {
    if (isPath(candidate)) continue;
    const found = findPackage(candidate, install.cliDir);
    if (found) return { ...found, candidate, from: "fap" };
  }
  return undefined;
}

interface Located {
  entry: string;
  /** The package's folder (undefined for a plain file). */
  dir?: string;
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
