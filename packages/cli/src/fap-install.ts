import { existsSync, readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { quote } from "@fap/core/internal";

/**
 * How the running fap was installed, which decides where else plugins are looked for and
 * which install command a hint gives: `project` (in the config's node_modules), `npx` (npm's
 * npx cache), `global` (a prefix's lib/node_modules), `other` (a checkout, a linked folder).
 */
type InstallKind = "project" | "npx" | "global" | "other";

export interface FapInstall {
  kind: InstallKind;
  /** The folder of the @fap/cli package that is running. */
  cliDir: string;
  /** The global prefix fap is installed under (kind `global`). */
  prefix?: string;
  /** The folder npx installed fap and its -p packages into (kind `npx`). */
  npxDir?: string;
}

/** The folder of the running @fap/cli: two levels above this compiled file (dist/). */
export function runningCliDir(): string {
  return realpathSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), ".."));
}

/** Where `cliDir` sits, seen from the config's folder `configDir`. */
export function fapInstall(configDir: string, cliDir: string = runningCliDir()): FapInstall {
  const real = safeRealpath(cliDir);
  const parts = real.split(path.sep);
  const inProject = isInside(real, safeRealpath(configDir)) || projectCli(configDir) === real;
  if (inProject) return { kind: "project", cliDir: real };
  const npx = parts.lastIndexOf("_npx");
  // npm exec keeps each set of -p packages in <cache>/_npx/<hash>/node_modules.
  if (npx >= 0 && parts.length > npx + 2) return { kind: "npx", cliDir: real, npxDir: parts.slice(0, npx + 2).join(path.sep) };
  const global = /^(.*?)[\\/](?:lib[\\/])?node_modules[\\/]@fap[\\/]cli$/.exec(real);
  if (global?.[1] !== undefined && !existsSync(path.join(global[1], "package.json"))) return { kind: "global", cliDir: real, prefix: global[1] || path.sep };
  return { kind: "other", cliDir: real };
}

/**
 * The command that installs `packages` where this fap finds them: `npm install --save-dev`
 * in a Node project, `npm install -g` beside a global fap, the `npx -p` line for npx.
 */
export function installCommand(install: FapInstall, configDir: string, packages: readonly string[], argv: readonly string[] = process.argv.slice(2)): string {
  const list = packages.join(" ");
  if (install.kind === "npx") {
    const given = npxPackages(install).filter((spec) => !packages.some((p) => specName(p) === specName(spec)));
    const specs = [...given, ...packages].map((spec) => `-p ${quote(spec)}`).join(" ");
    return `npx ${specs} fap ${argv.map((arg) => quote(arg)).join(" ")}`.trimEnd();
  }
  if (install.kind === "global" && !hasPackageJson(configDir)) {
    // npm's default prefix is node's own; any other one must be named, or npm installs elsewhere.
    const defaultPrefix = path.dirname(path.dirname(process.execPath));
    const prefix = install.prefix && safeRealpath(install.prefix) !== safeRealpath(defaultPrefix) ? ` --prefix ${quote(install.prefix)}` : "";
    return `npm install -g${prefix} ${list}`;
  }
  return `npm install --save-dev ${list}`;
}

/**
 * What the running npx was given with -p (the package.json npx wrote), each at the version
 * it installed: the line then runs the same fap again, pinned.
 */
function npxPackages(install: FapInstall): string[] {
  const dir = install.npxDir ?? "";
  let dependencies: Record<string, string> = {};
  try {
    dependencies = (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> }).dependencies ?? {};
  } catch {
    return ["@fap/cli"];
  }
  return Object.entries(dependencies).map(([name, range]) => {
    const version = installedVersion(path.join(dir, "node_modules", ...name.split("/")));
    if (version) return `${name}@${version}`;
    return range === "*" || range === "latest" || range === "" ? name : `${name}@${range}`;
  });
}

function installedVersion(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** `@fap/cli` for `@fap/cli@^1.0.0`. */
function specName(spec: string): string {
  const at = spec.lastIndexOf("@");
  return at > 0 ? spec.slice(0, at) : spec;
}

/** A package.json in the config's folder or above: a Node project. */
function hasPackageJson(dir: string): boolean {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (existsSync(path.join(current, "package.json"))) return true;
    if (path.dirname(current) === current) return false;
  }
}

/** The @fap/cli that the config's folder would resolve, if any. */
function projectCli(configDir: string): string | undefined {
  for (let current = path.resolve(configDir); ; current = path.dirname(current)) {
    const candidate = path.join(current, "node_modules", "@fap", "cli");
    if (existsSync(path.join(candidate, "package.json"))) return safeRealpath(candidate);
    if (path.dirname(current) === current) return undefined;
  }
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

function safeRealpath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}
