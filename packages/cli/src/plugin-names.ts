/**
 * The package names a plugin name in a config may mean, in the order they are tried:
 * a path; the exact name; @fap/plugin-<name>; fap-plugin-<name>; @scope/fap-plugin-<name>
 * for @scope/<name>. The seed's fapistrano.<name> and fapistrano.plugins.<name> mean the
 * first-party @fap/plugin-<name>.
 */
export function pluginCandidates(name: string): string[] {
  if (isPath(name)) return [name];
  const seed = /^fapistrano(?:\.plugins)?\.([a-z0-9_-]+)$/i.exec(name);
  if (seed?.[1]) return [`@fap/plugin-${seed[1].toLowerCase().replace(/_/g, "-")}`];
  const candidates = [name];
  const scoped = /^@([^/]+)\/(.+)$/.exec(name);
  if (scoped?.[1] && scoped[2]) {
    if (!scoped[2].startsWith("fap-plugin-")) candidates.push(`@${scoped[1]}/fap-plugin-${scoped[2]}`);
  } else {
    if (!name.startsWith("plugin-")) candidates.push(`@fap/plugin-${name}`);
    if (!name.startsWith("fap-plugin-")) candidates.push(`fap-plugin-${name}`);
  }
  return [...new Set(candidates)];
}

export function isPath(name: string): boolean {
  return name.startsWith("./") || name.startsWith("../") || name.startsWith("/") || /^[A-Za-z]:[\\/]/.test(name);
}
