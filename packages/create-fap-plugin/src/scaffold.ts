import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PluginNames } from "./names.js";

export const TEMPLATE_DIR = fileURLToPath(new URL("../template/", import.meta.url));

/** Files whose published name npm would drop or misread get another name in the template. */
const RENAMES: Record<string, string> = { gitignore: ".gitignore", "_package.json": "package.json" };

export interface ScaffoldOptions {
  names: PluginNames;
  /** Folder to create; must not exist or be empty. */
  dir: string;
  /** Range of @fap/core (and @fap/testing) the new plugin is made for, e.g. "^0.1.0". */
  coreRange: string;
}

/** Writes the plugin package into `dir`; resolves with the files written, relative to it. */
export async function scaffold({ names, dir, coreRange }: ScaffoldOptions): Promise<string[]> {
  if (existsSync(dir) && (await readdir(dir)).length > 0) {
    throw new Error(`${dir} already exists and is not empty; pick another name or folder`);
  }
  const tokens: Array<[string, string]> = [
    ["__PACKAGE_NAME__", names.packageName],
    ["__SHORT_NAME__", names.shortName],
    ["__USE_NAME__", names.useName],
    ["__OPTIONS_TYPE__", names.optionsType],
    ["__FACTORY__", names.factory],
    ["__KEY_PREFIX__", names.keyPrefix],
    ["__FILE_NAME__", names.fileName],
    ["__CORE_RANGE__", coreRange],
  ];
  const written: string[] = [];
  for (const relative of await templateFiles(TEMPLATE_DIR)) {
    const text = tokens.reduce((out, [token, value]) => out.split(token).join(value), await readFile(path.join(TEMPLATE_DIR, relative), "utf8"));
    const target = path.join(path.dirname(relative), RENAMES[path.basename(relative)] ?? path.basename(relative));
    await mkdir(path.join(dir, path.dirname(target)), { recursive: true });
    await writeFile(path.join(dir, target), text);
    written.push(target);
  }
  return written.sort();
}

async function templateFiles(dir: string, prefix = ""): Promise<string[]> {
  const entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? templateFiles(dir, path.join(prefix, entry.name)) : Promise.resolve([path.join(prefix, entry.name)]))),
  );
  return nested.flat();
}
