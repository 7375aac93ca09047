import { sh } from "@fap/core";
import type { PackageManager } from "./package-manager.js";

/** What each package manager runs: a frozen install of every dependency, or of the production ones. */
function install(manager: PackageManager, cacheDir: string, production: boolean): string {
  switch (manager) {
    case "npm":
      return sh`npm ci ${production ? ["--omit=dev"] : []} --cache ${`${cacheDir}/npm`} --prefer-offline --no-audit --no-fund`;
    case "pnpm":
      return sh`pnpm install --frozen-lockfile ${production ? ["--prod"] : []} --store-dir ${`${cacheDir}/pnpm`}`;
    case "yarn":
      return sh`yarn install --frozen-lockfile ${production ? ["--production"] : []} --cache-folder ${`${cacheDir}/yarn`} --non-interactive`;
  }
}

/** Drops the dev dependencies after a build on the host. */
function prune(manager: PackageManager, cacheDir: string): string {
  switch (manager) {
    case "npm":
      return "npm prune --omit=dev --no-audit --no-fund";
    case "pnpm":
      return "pnpm prune --prod";
    case "yarn":
      return install("yarn", cacheDir, true);
  }
}

/**
 * One round trip per host, in the release: the production dependencies; with a build on the
 * host, every dependency, the build, then the dev dependencies dropped. CI=true keeps the
 * package managers from asking anything.
 */
export function installCommand(releasePath: string, manager: PackageManager, cacheDir: string, build: string | undefined): string {
  const steps = build === undefined
    ? [install(manager, cacheDir, true)]
    : [install(manager, cacheDir, false), build, prune(manager, cacheDir)];
  return [sh`cd ${releasePath}`, NO_LINKED_NODE_MODULES, sh`mkdir -p ${cacheDir}`, "export CI=true", ...steps].join(" &&\n");
}

/** Exit code of an install refused because the release's node_modules is a symlink. */
export const LINKED_NODE_MODULES_EXIT = 20;

/**
 * A node_modules symlink in the release (committed by mistake) would have the install empty
 * and refill the folder it points at, outside the release.
 */
const NO_LINKED_NODE_MODULES =
  `{ ! test -L node_modules || { echo "node_modules in the release is a symlink (to $(readlink node_modules)): refusing to install through it" >&2; exit ${LINKED_NODE_MODULES_EXIT}; }; }`;
