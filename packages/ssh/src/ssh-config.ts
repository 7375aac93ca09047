import os from "node:os";
import path from "node:path";
import { FapError, type HostAddress } from "@fap/core/internal";
import { parseHostString, parsePort } from "./host-string.js";
import { readLocalFile } from "./read-local-file.js";
import { loadWithIncludes, type SshConfigSource } from "./ssh-config-include.js";

export type StrictHostKeyChecking = "yes" | "ask" | "accept-new" | "no";

/** Everything needed to open one connection, after the host string and ~/.ssh/config. */
export interface SshTarget {
  /** The host as the user wrote it; every message names it. */
  label: string;
  hostname: string;
  port: number;
  user: string;
  /** Absolute paths, in the order to try them. */
  identityFiles: string[];
  /** True when ~/.ssh/config named the files: then a missing one is worth mentioning. */
  identityFilesFromConfig: boolean;
  identitiesOnly: boolean;
  /** From UserKnownHostsFile; undefined when the config does not say. `none` gives []. */
  userKnownHostsFiles: string[] | undefined;
  globalKnownHostsFiles: string[] | undefined;
  strictHostKeyChecking: StrictHostKeyChecking | undefined;
  /** Name to look the host key up under instead of the host name (HostKeyAlias). */
  hostKeyAlias: string | undefined;
  hashKnownHosts: boolean;
  /** `none` is returned as undefined. */
  proxyJump: string | undefined;
  /** ProxyCommand, which fap refuses rather than bypasses; `none` is returned as undefined. */
  proxyCommand: string | undefined;
  /** IdentityAgent: a socket path, or "none" to use no agent. */
  identityAgent: string | undefined;
}

export interface LocalContext {
  home: string;
  localUser: string;
}

export function localUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    // userInfo() throws for a uid without a passwd entry (some containers).
    return process.env["USER"] ?? process.env["LOGNAME"] ?? "root";
  }
}

/** A missing file is an empty config, as for ssh itself. `home`: where relative Includes are (under .ssh). */
export async function loadSshConfig(file: string, home: string = os.homedir()): Promise<SshConfigSource | undefined> {
  let text: string;
  try {
    text = await readLocalFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new FapError("E_CONFIG", `cannot read ssh config ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return loadWithIncludes(text, file, home);
}

/**
 * Precedence, as with `ssh -l USER -p PORT`: `user@`/`:port` in the host string, then the
 * address's user/port, then ~/.ssh/config, then the local user name and port 22.
 */
export function resolveSshTarget(
  address: HostAddress,
  config: SshConfigSource | undefined,
  local: LocalContext,
): SshTarget {
  const parsed = parseHostString(address.host);
  const explicitUser = parsed.user ?? address.user;
  const explicitPort = parsed.port ?? address.port;

  // ignoreCase: users write `hostname` as often as `HostName`. matchExec stays on: it is the
  // user's own config and ssh would run those commands too.
  const computed: Record<string, string | string[]> = config
    ? config.compute(
        explicitUser === undefined ? { Host: parsed.host } : { Host: parsed.host, User: explicitUser },
        { ignoreCase: true },
      )
    : {};
  const get = (key: string): string | undefined => first(computed[key]);

  const user = explicitUser ?? get("user") ?? local.localUser;
  const configPort = get("port");
  const port = explicitPort ?? (configPort === undefined ? 22 : parsePort(configPort, `Port in ssh config for ${parsed.host}`));
  const hostname = expandTokens(get("hostname") ?? parsed.host, { host: parsed.host, original: parsed.host, port, user, local }, false);

  const tokens: TokenValues = { host: hostname, original: parsed.host, port, user, local };
  const configuredIdentities = list(computed["identityfile"]);
  const identityFiles =
    configuredIdentities.length > 0
      ? configuredIdentities.filter((f) => f.toLowerCase() !== "none").map((f) => expandPath(f, tokens))
      : ["id_ed25519", "id_ecdsa", "id_rsa"].map((name) => path.join(local.home, ".ssh", name));

  return {
    label: address.host,
    hostname,
    port,
    user,
    identityFiles,
    identityFilesFromConfig: configuredIdentities.length > 0,
    identitiesOnly: yes(get("identitiesonly")),
    userKnownHostsFiles: knownHostsList(computed["userknownhostsfile"], tokens),
    globalKnownHostsFiles: knownHostsList(computed["globalknownhostsfile"], tokens),
    strictHostKeyChecking: strictness(get("stricthostkeychecking")),
    hostKeyAlias: get("hostkeyalias"),
    hashKnownHosts: yes(get("hashknownhosts")),
    proxyJump: noneToUndefined(get("proxyjump")),
    proxyCommand: noneToUndefined(get("proxycommand")),
    identityAgent: expandAgent(get("identityagent"), tokens),
  };
}

interface TokenValues {
  host: string;
  original: string;
  port: number;
  user: string;
  local: LocalContext;
}

/** The ssh_config(5) TOKENS that make sense without a connection. Unknown ones stay as written. */
function expandTokens(text: string, values: TokenValues, allTokens = true): string {
  return text.replace(/%(.)/g, (whole, token: string) => {
    if (token === "%") return "%";
    if (token === "h") return values.host;
    if (!allTokens) return whole;
    switch (token) {
      case "d":
        return values.local.home;
      case "n":
        return values.original;
      case "p":
        return String(values.port);
      case "r":
        return values.user;
      case "u":
        return values.local.localUser;
      case "l":
        return os.hostname();
      case "L":
        return os.hostname().split(".")[0] ?? "";
      case "i":
        return String(process.getuid?.() ?? "");
      default:
        return whole;
    }
  });
}

function expandPath(file: string, values: TokenValues): string {
  const expanded = expandTokens(file, values);
  if (expanded === "~") return values.local.home;
  if (expanded.startsWith("~/")) return path.join(values.local.home, expanded.slice(2));
  return path.resolve(expanded);
}

function knownHostsList(value: string | string[] | undefined, tokens: TokenValues): string[] | undefined {
  // ssh-config already splits the value into files, keeping a quoted path with spaces whole.
  const files = list(value).filter((v) => v !== "");
  if (files.length === 0) return undefined;
  if (files.some((f) => f.toLowerCase() === "none")) return [];
  return files.map((f) => expandPath(f, tokens));
}

function expandAgent(value: string | undefined, tokens: TokenValues): string | undefined {
  if (value === undefined) return undefined;
  if (value.toLowerCase() === "none") return "none";
  if (value === "SSH_AUTH_SOCK") return undefined;
  if (value.startsWith("$")) return process.env[value.slice(1)] ?? "none";
  return expandPath(value, tokens);
}

function strictness(value: string | undefined): StrictHostKeyChecking | undefined {
  switch (value?.toLowerCase()) {
    case undefined:
      return undefined;
    case "yes":
      return "yes";
    case "ask":
      return "ask";
    case "accept-new":
      return "accept-new";
    case "no":
    case "off":
      return "no";
    default:
      return undefined;
  }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function yes(value: string | undefined): boolean {
  return value?.toLowerCase() === "yes";
}

function noneToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.toLowerCase() === "none" ? undefined : value;
}
