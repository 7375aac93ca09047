import { sh } from "@fap/core";

const MARK = "::fap-node::";
export const LOCKFILES = ["package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "yarn.lock"] as const;
export type Lockfile = (typeof LOCKFILES)[number];

/** What `probeCommand` finds in a release. */
export interface ReleaseProbe {
  /** `v20.11.1`; undefined when node is not on the PATH. */
  nodeVersion: string | undefined;
  lockfiles: Lockfile[];
  /** Package managers on the PATH. */
  available: Set<string>;
  /** The release's package.json, parsed; undefined when there is none. */
  packageJson: PackageJson | undefined;
  /** Set when package.json is there but is not JSON. */
  packageJsonError: string | undefined;
}

export interface PackageJson {
  engines?: { node?: unknown };
  scripts?: Record<string, unknown>;
  packageManager?: unknown;
}

/** One read-only round trip: node's version, the release's lockfiles, the package managers there, its package.json. */
export function probeCommand(releasePath: string): string {
  return [
    sh`cd ${releasePath} || exit 1`,
    `printf '%s%s\\n' '${MARK}node ' "$(node --version 2>/dev/null)"`,
    `for f in ${LOCKFILES.join(" ")}; do test -f "$f" && printf '%s%s\\n' '${MARK}lock ' "$f"; done`,
    `for m in npm pnpm yarn; do command -v "$m" >/dev/null 2>&1 && printf '%s%s\\n' '${MARK}has ' "$m"; done`,
    `if test -f package.json; then printf '%s\\n' '${MARK}package'; cat package.json; fi`,
    "exit 0",
  ].join("\n");
}

export function parseProbe(stdout: string): ReleaseProbe {
  const probe: ReleaseProbe = { nodeVersion: undefined, lockfiles: [], available: new Set(), packageJson: undefined, packageJsonError: undefined };
  const at = stdout.indexOf(`${MARK}package\n`);
  const head = at < 0 ? stdout : stdout.slice(0, at);
  for (const line of head.split("\n")) {
    if (!line.startsWith(MARK)) continue;
    const [kind, value = ""] = line.slice(MARK.length).split(" ");
    if (kind === "node" && value) probe.nodeVersion = value;
    if (kind === "lock") probe.lockfiles.push(value as Lockfile);
    if (kind === "has") probe.available.add(value);
  }
  if (at >= 0) {
    try {
      probe.packageJson = JSON.parse(stdout.slice(at + MARK.length + "package\n".length)) as PackageJson;
    } catch (error) {
      probe.packageJsonError = error instanceof Error ? error.message : String(error);
    }
  }
  return probe;
}
