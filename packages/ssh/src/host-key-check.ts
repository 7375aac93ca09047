import { appendFile, mkdir, readFile } from "node:fs/promises";
import { FileCache } from "./_file-cache.js";
import { readLocalFile } from "./read-local-file.js";
import os from "node:os";
import path from "node:path";
import { FapError } from "@fap/core/internal";
import {
  checkHostKey,
  fingerprint,
  keyBlobType,
  keyTypeLabel,
  knownHostName,
  knownHostsLine,
  parseKnownHosts,
  type KnownHostEntry,
} from "./known-hosts.js";
import { knownHostsIndex } from "./known-hosts-index.js";

/** Paths are shown as ~/... only when ~ really means that directory to the user's shell. */
const HOME = os.homedir();

export interface HostKeyPolicy {
  /** The host as the user wrote it. */
  label: string;
  hostname: string;
  port: number;
  /** HostKeyAlias: look the key up under this name instead of the host name. */
  hostKeyAlias: string | undefined;
  /** Every file to look keys up in. */
  files: string[];
  /** Where a newly accepted key goes; undefined when there is nowhere to write (UserKnownHostsFile none). */
  writeFile: string | undefined;
  acceptNew: boolean;
  hashNew: boolean;
}

export function hostKeyName(policy: Pick<HostKeyPolicy, "hostname" | "port" | "hostKeyAlias">): string {
  return policy.hostKeyAlias ?? knownHostName(policy.hostname, policy.port);
}

const knownHostsCache = new FileCache<KnownHostEntry[]>();
const indexes = new WeakMap<KnownHostEntry[], (name: string) => KnownHostEntry[]>();

/**
 * Every entry of the files, each file parsed once for as long as it does not change; with
 * `name`, only the entries naming that host (the same ones checkHostKey and knownKeyTypes pick
 * out), found through an index of each file.
 */
export async function readKnownHostsFiles(files: readonly string[], name?: string): Promise<KnownHostEntry[]> {
  const all = await Promise.all(
    files.map((file) =>
      knownHostsCache.get([file], async () => {
        try {
          return parseKnownHosts(await readLocalFile(file, "utf8"), file);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
          throw knownHostsFileError(`cannot read known_hosts file ${file}`, error);
        }
      }),
    ),
  );
  if (name === undefined) return all.flat();
  return all.flatMap((entries) => {
    let index = indexes.get(entries);
    if (index === undefined) indexes.set(entries, (index = knownHostsIndex(entries)));
    return index(name);
  });
}

/** Appends per file, one after another: two connections racing to one new host write it once. */
const appending = new Map<string, Promise<void>>();

/**
 * Resolves with undefined when the key may be used (it is known, or it was new and has just been
 * stored), or with the error to refuse the connection with.
 */
export async function verifyHostKey(policy: HostKeyPolicy, key: Buffer): Promise<FapError | undefined> {
  const name = hostKeyName(policy);
  const entries = await readKnownHostsFiles(policy.files, name);
  const result = checkHostKey(entries, name, key);
  const shown = `${keyTypeLabel(keyBlobType(key))} ${fingerprint(key)}`;
  const details = { hostKeyName: name, fingerprint: fingerprint(key), keyType: keyBlobType(key) };

  switch (result.status) {
    case "known":
      return undefined;
    case "revoked":
      return new FapError(
        "E_HOST_KEY_CHANGED",
        `HOST KEY FOR ${name} IS REVOKED (${shown}) - refusing to connect`,
        {
          host: policy.label,
          hint: `the key is marked @revoked in ${where(result.entry, HOME)}`,
          details,
        },
      );
    case "changed": {
      const offending = result.entries.map((e) => where(e, HOME)).join(", ");
      const file = tilde(result.entries[0]?.file ?? policy.writeFile ?? "~/.ssh/known_hosts", HOME);
      return new FapError(
        "E_HOST_KEY_CHANGED",
        `HOST KEY FOR ${name} HAS CHANGED (now ${shown}) - possible man-in-the-middle attack, refusing to connect`,
        {
          host: policy.label,
          hint:
            `the stored key is at ${offending}. If you know the host was reinstalled, remove it with ` +
            `\`ssh-keygen -R '${name}' -f ${file}\`, then check the new fingerprint`,
          details,
        },
      );
    }
    case "unknown":
      if (policy.acceptNew && policy.writeFile !== undefined) {
        await storeHostKey(policy.writeFile, name, key, policy.hashNew);
        return undefined;
      }
      return new FapError("E_HOST_KEY_UNKNOWN", `host key for ${name} is not known (${shown})`, {
        host: policy.label,
        hint:
          `check the fingerprint, then run with --accept-new-host-keys, or: ` +
          `ssh-keyscan ${policy.port === 22 ? "" : `-p ${policy.port} `}${policy.hostname} >> ` +
          tilde(policy.writeFile ?? "~/.ssh/known_hosts", HOME),
        details,
      });
  }
}

function storeHostKey(file: string, name: string, key: Buffer, hashed: boolean): Promise<void> {
  const previous = appending.get(file) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => appendUnlessKnown(file, name, key, hashed));
  appending.set(file, next);
  return next;
}

async function appendUnlessKnown(file: string, name: string, key: Buffer, hashed: boolean): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    let existing = "";
    try {
      existing = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    if (checkHostKey(parseKnownHosts(existing, file), name, key).status === "known") return;
    // A file whose last line lacks its newline would glue our entry onto that line.
    const separator = existing === "" || existing.endsWith("\n") ? "" : "\n";
    await appendFile(file, `${separator}${knownHostsLine(name, key, hashed)}\n`, { mode: 0o600 });
  } catch (error) {
    throw knownHostsFileError(`cannot store the host key in ${file}`, error);
  }
}

/** A known_hosts path that is no file fap can use (a folder, under a file, not readable): the user's to fix. */
function knownHostsFileError(what: string, error: unknown): FapError {
  return new FapError("E_CONFIG", `${what}: ${(error as Error).message}`, {
    hint: "fix the path in UserKnownHostsFile (~/.ssh/config) or in the known_hosts option given to fap, or the file's permissions",
    cause: error,
  });
}

function where(entry: KnownHostEntry, home: string): string {
  return `${tilde(entry.file, home)}:${entry.line}`;
}

function tilde(file: string, home: string): string {
  return file.startsWith(home + path.sep) ? `~${file.slice(home.length)}` : file;
}
