import { FapError } from "@fap/core";
import type { PackageManagerChoice } from "./keys.js";
import type { Lockfile, ReleaseProbe } from "./probe-command.js";

export type PackageManager = "npm" | "pnpm" | "yarn";

const BY_LOCKFILE: Readonly<Record<Lockfile, PackageManager>> = {
  "package-lock.json": "npm",
  "npm-shrinkwrap.json": "npm",
  "pnpm-lock.yaml": "pnpm",
  "yarn.lock": "yarn",
};

const INSTALL_HINT: Readonly<Record<PackageManager, string>> = {
  npm: "install Node.js with npm on the host",
  pnpm: "install pnpm on the host (npm install -g pnpm, or corepack enable pnpm)",
  yarn: "install yarn on the host (npm install -g yarn, or corepack enable yarn)",
};

/**
 * The package manager of the release: by its lockfile (or node_package_manager), and there on
 * the host. No lockfile is refused: an install without one is not the tested one.
 */
export function choosePackageManager(host: string, choice: PackageManagerChoice, probe: ReleaseProbe): PackageManager {
  const byLock = [...new Set(probe.lockfiles.map((file) => BY_LOCKFILE[file]))];
  const manager = choice === "auto" ? byLock[0] : choice;
  if (manager === undefined) {
    throw new FapError("E_CONFIG", "the release has no lockfile (package-lock.json, pnpm-lock.yaml or yarn.lock): refusing to install unpinned dependencies", {
      host,
      hint: "commit the lockfile your package manager writes (npm install writes package-lock.json)",
    });
  }
  if (choice === "auto" && byLock.length > 1) {
    throw new FapError("E_CONFIG", `the release has lockfiles of ${byLock.join(" and ")} (${probe.lockfiles.join(", ")})`, {
      host,
      hint: "delete the lockfile you do not use, or set node_package_manager",
    });
  }
  if (!probe.lockfiles.some((file) => BY_LOCKFILE[file] === manager)) {
    throw new FapError("E_CONFIG", `node_package_manager is ${manager}, but the release has no ${manager} lockfile`, {
      host,
      hint: "commit the lockfile, or set node_package_manager: auto",
    });
  }
  if (!probe.available.has(manager)) {
    const lock = probe.lockfiles.find((file) => BY_LOCKFILE[file] === manager);
    throw new FapError("E_CONFIG", `${lock} asks for ${manager}, which is not on the host's PATH`, { host, hint: INSTALL_HINT[manager] });
  }
  return manager;
}
