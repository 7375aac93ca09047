import { raw, sh, type RawShell } from "@fap/core";

const ALL_REFS = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"];

/**
 * `git -C <mirror> fetch`, keeping what arrives as the one pack it came in. By default git
 * explodes a pack of fewer than 100 objects into loose object files, each written and synced
 * on its own: that took 49 ms of CPU per fetch of a 20-file commit here, against 19 ms. Packs
 * that pile up are merged by git's own automatic gc.
 */
function fetchIn(repoPath: string): string {
  return sh`git -c fetch.unpackLimit=1 -C ${repoPath} fetch`;
}

/**
 * Fetches every branch and tag with their full history, as a mirror holds them. A mirror left
 * shallow by earlier deploys is completed, or old commits would stay out of reach.
 */
export function fetchAllCommand(repoPath: string): string {
  return (
    sh`if test -f ${repoPath}/shallow; then ${raw(fetchIn(repoPath))} -q --prune --unshallow origin -- ${ALL_REFS}; ` +
    sh`else ${raw(fetchIn(repoPath))} -q --prune origin -- ${ALL_REFS}; fi`
  );
}

/** Fetches one commit by its sha (or a shell word holding it) and `depth` commits of its history. */
export function fetchShaCommand(repoPath: string, sha: string | RawShell, depth: number): string {
  return sh`${raw(fetchIn(repoPath))} -q --depth ${depth} origin -- ${sha}`;
}

/** Fetches one ref by name (for servers that refuse a request by sha) into the same ref; a RawShell is the refspec's shell word. */
export function fetchRefCommand(repoPath: string, ref: string | RawShell, depth: number): string {
  return sh`${raw(fetchIn(repoPath))} -q --depth ${depth} origin -- ${typeof ref === "string" ? `+${ref}:${ref}` : ref}`;
}

/**
 * Creates the host's bare mirror if it has none (without git's sample hooks, which a mirror
 * never runs: half the cost of `git init`), and points its `origin` at `repo`. A new mirror's
 * config is the one `git init` just wrote: origin is appended to it by the shell, one git
 * process fewer on a host's first deploy. A folder that holds a config but no objects (not one
 * fap made) and a URL with a control character are left to `git config`.
 */
export function mirrorCommand(repo: string, repoPath: string): string {
  const init = sh`git init -q --bare --template= -- ${repoPath}`;
  const setUrl = sh`git -C ${repoPath} config -- remote.origin.url ${repo}`;
  const value = configValue(repo);
  if (value === undefined) return `{ ${sh`test -d ${repoPath}/objects`} || ${init}; } && ${setUrl}`;
  return (
    sh`if test -d ${repoPath}/objects; then ${raw(setUrl)}; elif test -e ${repoPath}/config; then ${raw(init)} && ${raw(setUrl)}; ` +
    sh`else ${raw(init)} && printf '%s\\n' '[remote "origin"]' ${`\turl = ${value}`} >> ${repoPath}/config; fi`
  );
}

/**
 * `value` as git's config file reads it back unchanged: in double quotes, which keep spaces,
 * `#` and `;`, with `\` and `"` escaped. Undefined for a control character, which would need
 * more of git's escapes.
 */
function configValue(value: string): string | undefined {
  if (/[\x00-\x1f\x7f]/.test(value)) return undefined;
  return `"${value.replace(/[\\"]/g, "\\$&")}"`;
}

export interface FetchMissingInput {
  repo: string;
  repoPath: string;
  /** Shell word of the commit to have, e.g. `"$sha^{commit}"`. */
  commit: string | RawShell;
  /** Fetches the commit by its sha: when it succeeds, the mirror has it. Undefined: only `fallback`. */
  bySha: string | undefined;
  /** Fetches by name, or everything: what arrives may not hold the commit (a branch moved on). */
  fallback: string;
  /** Shell that prints why the commit could not be fetched, run when the fallback lacks it. */
  cannotFetch: string;
}

/**
 * Lines that fetch into the mirror what it lacks for `commit`, creating the mirror on the
 * host's first deploy. Only what the fallback fetched is checked for the commit: a fetch by
 * sha either brings it or fails.
 */
export function fetchMissingLines({ repo, repoPath, commit, bySha, fallback, cannotFetch }: FetchMissingInput): string[] {
  const check = sh`git -C ${repoPath} cat-file -e ${commit} 2>/dev/null || { ${raw(cannotFetch)} >&2; exit 1; }`;
  // A host's first deploy has no mirror yet: asking git about it would start a process for nothing.
  const lines = [sh`if ! { test -d ${repoPath}/objects && git -C ${repoPath} cat-file -e ${commit} 2>/dev/null; }; then`, `  ${mirrorCommand(repo, repoPath)}`];
  if (bySha === undefined) lines.push(`  ${fallback}`, `  ${check}`);
  else lines.push(`  if ! ${bySha} 2>/dev/null; then`, `    ${fallback}`, `    ${check}`, "  fi");
  lines.push("fi");
  return lines;
}
