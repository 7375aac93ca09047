/** First-party plugins: their short names mean @fap/plugin-<name>. */
export const FIRST_PARTY_PLUGINS: readonly string[] = [
  "git", "curl", "virtualenv", "supervisorctl", "webpack-build", "node", "pm2", "upload", "systemd",
];

/**
 * The package names a plugin name in a config may mean, in the order they are tried:
 * a path; the exact name; @fap/plugin-<name>; fap-plugin-<name>; @scope/fap-plugin-<name>
 * for @scope/<name> (@fap/plugin-<name> for @fap/<name>). A first-party short name (`git`,
 * `pm2`) and Fapistrano's fapistrano.<name> and fapistrano.plugins.<name> mean the first-party
 * @fap/plugin-<name> only: a project that has pm2 (or git, or curl) installed as a package
 * has the tool, not a plugin.
 */
export function pluginCandidates(name: string): string[] {
  if (isPath(name)) return [name];
  if (FIRST_PARTY_PLUGINS.includes(name)) return [`@fap/plugin-${name}`];
  const fapistrano = /^fapistrano(?:\.plugins)?\.([a-z0-9_-]+)$/i.exec(name);
  if (fapistrano?.[1]) return [`@fap/plugin-${fapistrano[1].toLowerCase().replace(/_/g, "-")}`];
  const candidates = [name];
  const scoped = /^@([^/]+)\/(.+)$/.exec(name);
  if (scoped?.[1] && scoped[2]) {
    // Our own scope names its plugins @fap/plugin-<name>.
    if (scoped[1] === "fap") {
      if (!scoped[2].startsWith("plugin-")) candidates.push(`@fap/plugin-${scoped[2]}`);
    } else if (!scoped[2].startsWith("fap-plugin-")) candidates.push(`@${scoped[1]}/fap-plugin-${scoped[2]}`);
  } else {
    if (!name.startsWith("plugin-")) candidates.push(`@fap/plugin-${name}`);
    if (!name.startsWith("fap-plugin-")) candidates.push(`fap-plugin-${name}`);
  }
  return [...new Set(candidates)];
}

export function isPath(name: string): boolean {
  return name.startsWith("./") || name.startsWith("../") || name.startsWith("/") || /^[A-Za-z]:[\\/]/.test(name);
}

/**
 * The package to install when `name` was not found: the first-party package for a short name
 * of ours, `fap-plugin-<name>` (or `@scope/fap-plugin-<name>`) for any other short name, the
 * name itself when it already is a full plugin package name. Undefined for a path.
 */
export function packageToInstall(name: string): string | undefined {
  if (isPath(name)) return undefined;
  const candidates = pluginCandidates(name);
  const firstParty = candidates.find((c) => c.startsWith("@fap/plugin-"));
  if (firstParty && FIRST_PARTY_PLUGINS.includes(firstParty.slice("@fap/plugin-".length))) return firstParty;
  if (/^(@[^/]+\/)?fap-plugin-/.test(name) || name.startsWith("@fap/")) return name;
  return candidates.find((c) => /^(@[^/]+\/)?fap-plugin-/.test(c)) ?? candidates[0] ?? name;
}
