import semver from "semver";
import { FapError } from "@fap/core";
import type { PackageJson } from "./probe-command.js";

/**
 * Refuses a host whose node does not satisfy the package.json's `engines.node`, naming both
 * versions. A package.json without engines.node accepts any node.
 */
export function checkEngines(host: string, packageJson: PackageJson | undefined, nodeVersion: string | undefined): void {
  const range = packageJson?.engines?.node;
  if (range === undefined) return;
  if (typeof range !== "string" || semver.validRange(range) === null) {
    throw new FapError("E_CONFIG", `package.json's engines.node ${JSON.stringify(range)} is not a semver range`, { host, hint: 'write e.g. "engines": { "node": ">=20" }' });
  }
  if (nodeVersion === undefined) {
    throw new FapError("E_CONFIG", `the app needs node ${range} (engines.node), and the host has no node on its PATH`, {
      host,
      hint: "install Node.js on the host, or put it on the PATH of non-interactive ssh sessions",
    });
  }
  const version = semver.coerce(nodeVersion)?.version;
  if (version === undefined || !semver.satisfies(version, range)) {
    throw new FapError("E_CONFIG", `the host's node ${nodeVersion} does not satisfy the app's engines.node ${range}`, {
      host,
      hint: `install a node that matches ${range} on the host, or change engines.node in package.json (node_check_engines: false skips this check)`,
    });
  }
}
