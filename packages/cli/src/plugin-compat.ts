import { createRequire } from "node:module";
import { FapError } from "@fap/core/internal";
import type { PackageManifest } from "./_find-package.js";

/** The version of @fap/core this fap runs; plugins share it through their peer dependency. */
export function coreVersion(): string {
  const require = createRequire(import.meta.url);
  return (require("@fap/core/package.json") as { version: string }).version;
}

/**
 * The range of @fap/core a plugin package says it works with: `"fap": { "core": "^0.1.0" }`
 * in its package.json, else its peer dependency on @fap/core; undefined when it says nothing.
 */
function declaredCoreRange(manifest: PackageManifest): string | undefined {
  const fap = manifest.fap;
  if (fap !== undefined) {
    const core = typeof fap === "object" && fap !== null ? (fap as Record<string, unknown>).core : undefined;
    if (typeof core !== "string") {
      throw new FapError("E_PLUGIN", `${describe(manifest)} has a "fap" field without a "core" range`, {
        hint: `its package.json should say which @fap/core it works with, e.g. "fap": { "core": "^0.1.0" }`,
      });
    }
    return core;
  }
  return manifest.peerDependencies?.["@fap/core"];
}

/**
 * Refuses a plugin package made for another @fap/core than the one running: its hooks,
 * contexts and errors would not be what it expects, and it would fail mid-deploy instead.
 * `installWith` words the install command for how this fap was installed (fap-install.ts).
 */
export async function checkCoreCompatible(
  name: string,
  manifest: PackageManifest,
  core: string = coreVersion(),
  installWith: (packages: readonly string[]) => string = (packages) => `npm install --save-dev ${packages.join(" ")}`,
): Promise<void> {
  const range = declaredCoreRange(manifest);
  if (range === undefined) return;
  if (caretAllows(range, core)) return;
  // semver is loaded only here: setting it up (its ~60 regular expressions) cost every run ~3 ms.
  const { default: semver } = await import("semver");
  if (semver.validRange(range) === null) {
    throw new FapError("E_PLUGIN", `${describe(manifest)} declares an invalid @fap/core range '${range}'`, {
      hint: `its package.json should hold a semver range, e.g. "fap": { "core": "^${core}" }`,
    });
  }
  if (semver.satisfies(core, range, { includePrerelease: true })) return;
  const newer = semver.gtr(core, range);
  throw new FapError(
    "E_PLUGIN",
    `plugin '${name}' (${describe(manifest)}) is made for @fap/core ${range}, but this fap runs @fap/core ${core}`,
    {
      hint: newer
        ? `${manifest.name ?? name} is older than this fap: install a release of it made for @fap/core ${releaseLine(core)} (npm view ${manifest.name ?? name} fap), or ask its author for one`
        : `${manifest.name ?? name} needs a newer fap: ${installWith(["@fap/cli@latest"])}`,
      details: { plugin: manifest.name, version: manifest.version, requires: range, core },
    },
  );
}

/** "1.x" for 1.4.2, "0.3.x" for 0.3.1: the releases that share an API under semver. */
function releaseLine(version: string): string {
  const [major = "0", minor = "0"] = version.split(".");
  return major !== "0" ? `${major}.x` : `0.${minor}.x`;
}

const PLAIN = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/**
 * True when `^M.m.p` (the form plugins declare, `fap plugin new` writes) allows `version`, both
 * plain M.m.p: the same major and not older, under 1.0 the same minor, under 0.1 the same
 * version. Undefined (ask semver) for any other range or version, and for a refusal, whose
 * message semver words. The test holds it to semver's answer for every pair of a grid.
 */
export function caretAllows(range: string, version: string): true | undefined {
  const wanted = range.startsWith("^") ? PLAIN.exec(range.slice(1)) : null;
  const have = PLAIN.exec(version);
  if (wanted === null || have === null) return undefined;
  const [w0, w1, w2] = wanted.slice(1).map(Number) as [number, number, number];
  const [h0, h1, h2] = have.slice(1).map(Number) as [number, number, number];
  const allowed = w0 > 0 ? h0 === w0 && (h1 > w1 || (h1 === w1 && h2 >= w2)) : w1 > 0 ? h0 === 0 && h1 === w1 && h2 >= w2 : h0 === 0 && h1 === 0 && h2 === w2;
  return allowed ? true : undefined;
}

function describe(manifest: PackageManifest): string {
  return `${manifest.name ?? "a package"}@${manifest.version ?? "?"}`;
}
