import fs from "node:fs";
import path from "node:path";
import { fapCacheDir, type HostAddress } from "@fap/core/internal";
import type { CommonOptions } from "./common-options.js";

/**
 * The hosts a run connected to first, remembered for the next run with the same selection, so
 * that it can start connecting before it has read its config (see remembered-connect.ts). A
 * hint only: the run still connects where its config says, and a remembered host the config
 * no longer names is closed unused. Only host, user and port are kept, never a host that
 * holds a secret; the file is the user's alone (0600 in a 0700 folder).
 */
interface Entry {
  /** The config file that named them, and its mtime and size then: an edited config is not trusted. */
  config: string;
  mtimeMs: number;
  size: number;
  addresses: HostAddress[];
  /** When it was last written: the oldest entries go first. */
  at: number;
}

/** Entries kept; each is a selection in a folder, so a few dozen cover anyone's projects. */
const MAX_ENTRIES = 32;

const fileIn = (env: NodeJS.ProcessEnv) => path.join(fapCacheDir(env), "early-hosts.json");

/**
 * What picks a run's hosts before its config is read: the folder, the config file asked for,
 * Fapistrano's FAP_APP and its deployfile, and the selection. Undefined when user or port come
 * from the command line (the run then does not connect early: see earlyAddresses), and with
 * FAP_REMEMBER_HOSTS=0 (nothing is remembered or recalled).
 */
export function selectionKey(common: CommonOptions, extraArgs: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | undefined {
  if (env.FAP_REMEMBER_HOSTS === "0") return undefined;
  if ([...extraArgs, ...(common.set ?? [])].some((arg) => /^(--)?(user|port)(=|$)/.test(arg))) return undefined;
  const app = env.FAP_APP;
  const deployfile = app ? env[`${app.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_DEPLOYFILE`] : undefined;
  return JSON.stringify([cwd, common.config ?? common.deployfile ?? null, app ?? null, deployfile ?? null, common.stage ?? null, common.role ?? null, common.hosts ?? null, common.excludeHosts ?? null, common.parallel ?? null]);
}

/**
 * At most this many of a run's first hosts are remembered, and guessed by the next run. Each
 * guess has a connector of its own (so a host the config no longer names can be closed alone),
 * with its own read of the SSH config and keys and no share of the pool's handshake limit: at
 * 200 hosts, guessing them all took 30% more memory and slowed the handshakes. A guess saves a
 * run one handshake's wait; past a few hosts, the connects started once the config is read
 * overlap the plugins' loading anyway.
 */
const REMEMBERED_AT_MOST = 8;

/** The remembered addresses, when their config file has not changed since. */
export function recallHosts(key: string, env: NodeJS.ProcessEnv = process.env): HostAddress[] | undefined {
  const entry = readEntries(env)[key];
  if (entry === undefined || !Array.isArray(entry.addresses) || !entry.addresses.every(isAddress)) return undefined;
  try {
    const stat = fs.statSync(entry.config);
    // Within a millisecond: a tool that copies or restores an mtime may round it.
    return Math.abs(stat.mtimeMs - entry.mtimeMs) < 1 && stat.size === entry.size ? entry.addresses.slice(0, REMEMBERED_AT_MOST) : undefined;
  } catch {
    return undefined;
  }
}

/** Remembers (or, with undefined, forgets) a selection's first addresses; never fails a run. */
export function rememberHosts(key: string, config: string, addresses: HostAddress[] | undefined, env: NodeJS.ProcessEnv = process.env): void {
  try {
    const entries = readEntries(env);
    if (addresses === undefined) {
      if (!(key in entries)) return;
      delete entries[key];
    } else {
      const { mtimeMs, size } = fs.statSync(config);
      addresses = addresses.slice(0, REMEMBERED_AT_MOST);
      const old = entries[key];
      if (old && old.config === config && old.mtimeMs === mtimeMs && old.size === size && JSON.stringify(old.addresses) === JSON.stringify(addresses)) return;
      entries[key] = { config, mtimeMs, size, addresses: addresses.map(({ host, user, port }) => ({ host, user, port })), at: Date.now() };
    }
    const kept = Object.entries(entries).sort(([, a], [, b]) => b.at - a.at).slice(0, MAX_ENTRIES);
    const file = fileIn(env);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // Written aside, then renamed: two runs at once never leave half a file.
    const aside = `${file}.${process.pid}`;
    fs.writeFileSync(aside, JSON.stringify(Object.fromEntries(kept)), { mode: 0o600 });
    fs.renameSync(aside, file);
  } catch {
    // A read-only or full disk only costs the next run its head start.
  }
}

function readEntries(env: NodeJS.ProcessEnv): Record<string, Entry> {
  try {
    const data: unknown = JSON.parse(fs.readFileSync(fileIn(env), "utf8"));
    return typeof data === "object" && data !== null && !Array.isArray(data) ? (data as Record<string, Entry>) : {};
  } catch {
    return {};
  }
}

function isAddress(value: unknown): value is HostAddress {
  const a = value as HostAddress | null;
  return typeof a === "object" && a !== null && typeof a.host === "string" && (a.user === undefined || typeof a.user === "string") && (a.port === undefined || typeof a.port === "number");
}
