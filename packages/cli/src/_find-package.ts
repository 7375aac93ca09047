import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** The fields of a package.json that loading a plugin reads. */
export interface PackageManifest {
  name?: string;
  version?: string;
  main?: string;
  exports?: unknown;
  fap?: unknown;
  peerDependencies?: Record<string, string>;
}

export interface FoundPackage {
  dir: string;
  manifest: PackageManifest;
  /** The file `import(name)` loads: the "." export (import / node / default), else `main`, else index.js. */
  entry: string;
}

/**
 * Finds package `name` in the node_modules folders from `fromDir` up, as Node does. Done by
 * hand rather than with require.resolve, which cannot resolve an ESM-only package whose
 * exports have only an "import" condition, and would call that package "not found".
 */
export function findPackage(name: string, fromDir: string): FoundPackage | undefined {
  let dir = path.resolve(fromDir);
  for (;;) {
    const candidate = path.join(dir, "node_modules", ...name.split("/"));
    if (existsSync(path.join(candidate, "package.json"))) return readPackage(candidate);
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** A folder holding a package.json, read as a package. */
export function readPackage(dir: string): FoundPackage {
  const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as PackageManifest;
  return { dir, manifest, entry: packageEntry(dir, manifest) };
}

export function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

const CONDITIONS = ["import", "node", "default"];

function packageEntry(dir: string, manifest: PackageManifest): string {
  const exported = manifest.exports === undefined ? undefined : rootExport(manifest.exports);
  if (exported !== undefined) return path.join(dir, exported);
  if (manifest.main) {
    const main = path.join(dir, manifest.main);
    for (const file of [main, `${main}.js`, path.join(main, "index.js")]) if (existsSync(file) && !isDirectory(file)) return file;
    return main;
  }
  return path.join(dir, "index.js");
}

/** The target of the "." export for an ESM import; undefined when there is none. */
function rootExport(exports: unknown): string | undefined {
  if (typeof exports === "string" || Array.isArray(exports)) return pickTarget(exports);
  if (exports === null || typeof exports !== "object") return undefined;
  const map = exports as Record<string, unknown>;
  const isSubpathMap = Object.keys(map).some((key) => key.startsWith("."));
  return pickTarget(isSubpathMap ? map["."] : map);
}

function pickTarget(target: unknown): string | undefined {
  if (typeof target === "string") return target;
  if (Array.isArray(target)) {
    for (const item of target) {
      const picked = pickTarget(item);
      if (picked !== undefined) return picked;
    }
    return undefined;
  }
  if (target === null || typeof target !== "object") return undefined;
  // Conditions are tried in the order the package lists them, as Node does.
  for (const [condition, value] of Object.entries(target as Record<string, unknown>)) {
    if (!CONDITIONS.includes(condition)) continue;
    const picked = pickTarget(value);
    if (picked !== undefined) return picked;
  }
  return undefined;
}
