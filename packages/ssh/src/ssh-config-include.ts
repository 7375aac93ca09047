import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { escapeRegExp, FapError } from "@fap/core/internal";
import SSHConfig from "ssh-config";

/** What resolving a host needs of a parsed ~/.ssh/config. */
export type SshConfigSource = Pick<SSHConfig, "compute">;

type Line = SSHConfig[number];
type Directive = Extract<Line, { param: string }>;
type ComputeArgs = Parameters<SSHConfig["compute"]>;

/** OpenSSH's READCONF_MAX_DEPTH: deeper Include nesting is a loop. */
const MAX_DEPTH = 16;

/**
 * ~/.ssh/config with its `Include`s read as OpenSSH reads them: each word a file or glob,
 * relative ones under ~/.ssh, missing ones skipped. An Include at the top applies to every host;
 * one inside a Host or Match block only when that block matches, and then its own Host blocks
 * match on their own; the block's state is restored after it. Files are read once, here; the
 * config is flattened per host when a host is resolved.
 */
export async function loadWithIncludes(text: string, file: string, home: string): Promise<SshConfigSource> {
  const included = new Map<Directive, SSHConfig[]>();
  const root = parseConfig(text, file);
  await readIncludes(root, home, included, 0);
  if (included.size === 0) return root;
  return {
    compute: ((...args: ComputeArgs) => flatten(root, included, args).compute(...args)) as SSHConfig["compute"],
  };
}

function parseConfig(text: string, file: string): SSHConfig {
  try {
    return SSHConfig.parse(text);
  } catch (error) {
    throw new FapError("E_CONFIG", `cannot parse ssh config ${file}: ${(error as Error).message}`, { cause: error });
  }
}

async function readIncludes(config: SSHConfig, home: string, included: Map<Directive, SSHConfig[]>, depth: number): Promise<void> {
  for (const line of config) {
    if (!isDirective(line)) continue;
    if (isBlock(line)) await readIncludes(line.config, home, included, depth);
    if (!/^include$/i.test(line.param)) continue;
    if (depth >= MAX_DEPTH) {
      throw new FapError("E_CONFIG", `ssh config: Include nested more than ${MAX_DEPTH} deep; does a file include itself?`, {
        hint: "check the Include lines of ~/.ssh/config and the files they name",
      });
    }
    const configs: SSHConfig[] = [];
    for (const pattern of words(line.value)) {
      for (const file of await expandGlob(absolute(pattern, home))) {
        const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
          if (error.code === "ENOENT" || error.code === "EISDIR") return undefined;
          throw new FapError("E_CONFIG", `cannot read ssh config ${file} (included from ~/.ssh/config): ${error.message}`, { cause: error });
        });
        if (text === undefined) continue;
        const parsed = parseConfig(text, file);
        await readIncludes(parsed, home, included, depth + 1);
        configs.push(parsed);
      }
    }
    included.set(line, configs);
  }
}

/** The config as one host sees it, every Include replaced by what it brings in for that host. */
function flatten(root: SSHConfig, included: Map<Directive, SSHConfig[]>, args: ComputeArgs): SSHConfig {
  const out = SSHConfig.parse("");
  const splice = (lines: SSHConfig): void => {
    for (const line of lines) {
      if (!isDirective(line)) continue;
      if (/^include$/i.test(line.param)) {
        for (const config of included.get(line) ?? []) splice(config);
      } else if (isBlock(line) && line.config.some((sub) => isDirective(sub) && /^include$/i.test(sub.param))) {
        if (!matches(out, line, args)) continue;
        // The block applies to this host: its lines, and what its Includes bring, apply as if
        // written at the top, in order; Host blocks in the included files match on their own.
        out.push({ ...line, config: SSHConfig.parse("") });
        splice(line.config);
      } else {
        out.push(line);
      }
    }
  };
  splice(root);
  return out;
}

const PROBE = "FapIncludeProbe";

/** Whether `block` applies to the host, given the lines before it: computed with a marker inside. */
function matches(before: SSHConfig, block: Directive & { config: SSHConfig }, [opts, computeOpts]: ComputeArgs): boolean {
  const probe = SSHConfig.parse("");
  probe.push(...before, { ...block, config: SSHConfig.parse(`${PROBE} yes\n`) });
  const computed = probe.compute(opts as never, { ...computeOpts, ignoreCase: true }) as Record<string, unknown>;
  return computed[PROBE.toLowerCase()] !== undefined;
}

function isDirective(line: Line): line is Directive {
  return "param" in line && typeof line.param === "string";
}

function isBlock(line: Directive): line is Directive & { config: SSHConfig } {
  return "config" in line && Array.isArray(line.config);
}

function words(value: Directive["value"]): string[] {
  if (typeof value === "string") return value.split(/\s+/).filter(Boolean);
  return value.map((v) => v.val);
}

/** `~/x` under home, a relative path under ~/.ssh, as ssh_config(5) says for the user's config. */
function absolute(pattern: string, home: string): string {
  if (pattern === "~" || pattern.startsWith("~/")) return path.join(home, pattern.slice(1));
  return path.isAbsolute(pattern) ? pattern : path.join(home, ".ssh", pattern);
}

/** glob(3) as OpenSSH calls it: `*`, `?` and `[...]` within one path part, no dot files, sorted. */
async function expandGlob(pattern: string): Promise<string[]> {
  let found = ["/"];
  for (const part of pattern.split("/").filter(Boolean)) {
    if (!/[*?[]/.test(part)) {
      found = found.map((dir) => path.join(dir, part));
      continue;
    }
    const regex = globPart(part);
    const next: string[] = [];
    for (const dir of found) {
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names.sort()) if (!name.startsWith(".") && regex.test(name)) next.push(path.join(dir, name));
    }
    found = next;
  }
  return found;
}

function globPart(part: string): RegExp {
  const chars = globChars(part);
  let source = "";
  for (let i = 0; i < chars.length; i++) {
    const { c, quoted } = chars[i]!;
    const end = !quoted && c === "[" ? setEnd(chars, i) : -1;
    if (quoted) source += escapeRegExp(c);
    else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else if (end !== -1) {
      const negated = chars[i + 1]!.c === "!" && !chars[i + 1]!.quoted;
      const members = chars.slice(negated ? i + 2 : i + 1, end).map((m) => m.c.replace(/[\\\][^]/, "\\$&"));
      source += `[${negated ? "^" : ""}${members.join("")}]`;
      i = end;
    } else source += escapeRegExp(c); // an unclosed [ too: it is a plain character
  }
  return new RegExp(`^${source}$`);
}

/** The pattern's characters; a backslash quotes the next one, which is then never special. */
function globChars(part: string): { c: string; quoted: boolean }[] {
  const chars: { c: string; quoted: boolean }[] = [];
  for (let i = 0; i < part.length; i++) {
    const quoted = part[i] === "\\" && i + 1 < part.length;
    chars.push({ c: part[quoted ? ++i : i]!, quoted });
  }
  return chars;
}

/**
 * Where the set opened at `open` closes, or -1 (then the `[` is a plain character). As in
 * glob(3), the set's first character (after a `!`) is a member even when it is `]`.
 */
function setEnd(chars: { c: string; quoted: boolean }[], open: number): number {
  const first = chars[open + 1]?.c === "!" && !chars[open + 1]!.quoted ? open + 2 : open + 1;
  for (let i = first + 1; i < chars.length; i++) if (chars[i]!.c === "]" && !chars[i]!.quoted) return i;
  return -1;
}
