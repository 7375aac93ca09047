import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { FapError, normalizePlugins, type FapPlugin, type PluginEntry } from "@fap/core";
import { isPath, pluginCandidates } from "./plugin-names.js";

/**
 * Turns the config's `plugins` (names, plugin objects, nested lists, falsy entries) into
 * plugin objects. Names are resolved from the config's directory, as `npm install` put them.
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
  const require = createRequire(path.join(dir, "deploy.config.js"));
  const candidates = pluginCandidates(name);
  for (const candidate of candidates) {
    let resolved: string;
    try {
      resolved = require.resolve(isPath(candidate) ? path.resolve(dir, candidate) : candidate);
    } catch {
      continue;
    }
    const module = (await import(pathToFileURL(resolved).href)) as { default?: unknown };
    return fromModule(module.default ?? module, name);
  }
  const install = isPath(name) ? undefined : candidates.find((c) => c.includes("plugin")) ?? name;
  throw new FapError("E_PLUGIN_NOT_FOUND", `plugin '${name}' not found (tried ${candidates.join(", ")})`, {
    hint: install ? `npm install --save-dev ${install}` : `check the path ${name}`,
  });
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
