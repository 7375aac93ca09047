import { createHash, createHmac, randomBytes } from "node:crypto";

/**
 * Pure known_hosts logic (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): parsing, host matching,
 * lookup, fingerprints. No file I/O here, so it can be table-tested.
 */
export interface KnownHostEntry {
  marker: "@revoked" | "@cert-authority" | undefined;
  /** Comma-separated patterns, or one `|1|salt|hmac` hashed name. */
  hosts: string;
  keyType: string;
  key: Buffer;
  file: string;
  line: number;
}

export function parseKnownHosts(text: string, file = "known_hosts"): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry["marker"];
    if (fields[0]?.startsWith("@")) {
      const m = fields.shift();
      if (m !== "@revoked" && m !== "@cert-authority") return;
      marker = m;
    }
    const [hosts, keyType, keyBase64] = fields;
    if (hosts === undefined || keyType === undefined || keyBase64 === undefined) return;
    const key = Buffer.from(keyBase64, "base64");
    if (key.length === 0) return;
    entries.push({ marker, hosts, keyType, key, file, line: index + 1 });
  });
  return entries;
}

/** OpenSSH stores non-default ports as `[host]:port`. */
export function knownHostName(hostname: string, port: number): string {
  const host = hostname.toLowerCase();
  return port === 22 ? host : `[${host}]:${port}`;
}

/** `*` and `?` wildcards, case-insensitive, as OpenSSH's match_pattern. */
export function matchWildcard(pattern: string, text: string): boolean {
  return matchLowered(pattern.toLowerCase(), text.toLowerCase());
}

// Every connection looks its host up in every line of known_hosts: with one line per host, a
// fleet of 500 compiled 500 × 500 patterns into regular expressions. Each host field is split
// once, a pattern without wildcards is compared as a string, and one with them compiled once.
const MAX_CACHED = 10_000;
const compiledPatterns = new Map<string, RegExp>();
const splitFields = new Map<string, HostPatterns>();

/** A host field's patterns, in lower case. */
export interface HostPatterns {
  names: string[];
  negated: string[];
}

/** matchWildcard for a pattern and text already in lower case. */
function matchLowered(pattern: string, text: string): boolean {
  if (!pattern.includes("*") && !pattern.includes("?")) return pattern === text;
  let regex = compiledPatterns.get(pattern);
  if (regex === undefined) {
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    regex = new RegExp(`^${source}$`, "s");
    if (compiledPatterns.size >= MAX_CACHED) compiledPatterns.clear();
    compiledPatterns.set(pattern, regex);
  }
  return regex.test(text);
}

/** The patterns of a host field that is not hashed, split once per distinct field. */
export function patternsOf(hosts: string): HostPatterns {
  let patterns = splitFields.get(hosts);
  if (patterns === undefined) {
    patterns = { names: [], negated: [] };
    for (const pattern of hosts.split(",")) {
      if (pattern === "") continue;
      if (pattern.startsWith("!")) patterns.negated.push(pattern.slice(1).toLowerCase());
      else patterns.names.push(pattern.toLowerCase());
    }
    if (splitFields.size >= MAX_CACHED) splitFields.clear();
    splitFields.set(hosts, patterns);
  }
  return patterns;
}

/**
 * Whether an entry's host field names `name`. A matching negated pattern vetoes the whole
 * line, whatever the other patterns say.
 */
export function hostsFieldMatches(hosts: string, name: string): boolean {
  if (hosts.startsWith("|1|")) return hashedMatches(hosts, name);
  const { names, negated } = patternsOf(hosts);
  const text = name.toLowerCase();
  if (negated.some((pattern) => matchLowered(pattern, text))) return false;
  return names.some((pattern) => matchLowered(pattern, text));
}

/** `|1|base64(salt)|base64(HMAC-SHA1(key=salt, name))`, what `HashKnownHosts yes` writes. */
function hashedMatches(hashed: string, name: string): boolean {
  const [, magic, salt, hash] = hashed.split("|");
  if (magic !== "1" || salt === undefined || hash === undefined) return false;
  const expected = createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest("base64");
  return expected === hash;
}

export function hashHostName(name: string, salt: Buffer = randomBytes(20)): string {
  const hash = createHmac("sha1", salt).update(name).digest("base64");
  return `|1|${salt.toString("base64")}|${hash}`;
}

export type HostKeyStatus =
  | { status: "known"; entry: KnownHostEntry }
  | { status: "unknown" }
  | { status: "changed"; entries: KnownHostEntry[] }
  | { status: "revoked"; entry: KnownHostEntry };

/**
 * Looks the key the server showed up under `name`. Any other key stored under that name means
 * the key changed: fap asks the server for the known key types first (see preferredHostKeyAlgorithms),
 * so a different key is never just a different algorithm choice.
 */
export function checkHostKey(entries: readonly KnownHostEntry[], name: string, key: Buffer): HostKeyStatus {
  const matching = entries.filter((e) => e.marker !== "@cert-authority" && hostsFieldMatches(e.hosts, name));
  const revoked = matching.find((e) => e.marker === "@revoked" && e.key.equals(key));
  if (revoked) return { status: "revoked", entry: revoked };
  const plain = matching.filter((e) => e.marker === undefined);
  const same = plain.find((e) => e.key.equals(key));
  if (same) return { status: "known", entry: same };
  if (plain.length > 0) return { status: "changed", entries: plain };
  return { status: "unknown" };
}

/** Key types stored for `name`, to ask the server for one of those first (as ssh does). */
export function knownKeyTypes(entries: readonly KnownHostEntry[], name: string): string[] {
  const types = entries
    .filter((e) => e.marker === undefined && hostsFieldMatches(e.hosts, name))
    .map((e) => keyBlobType(e.key) ?? e.keyType);
  return [...new Set(types)];
}

const DEFAULT_HOST_KEY_ALGORITHMS = [
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "rsa-sha2-512",
  "rsa-sha2-256",
  "ssh-rsa",
] as const;
export type HostKeyAlgorithm = (typeof DEFAULT_HOST_KEY_ALGORITHMS)[number];

/** ssh2's default order, with the algorithms for key types already known moved to the front. */
export function preferredHostKeyAlgorithms(knownTypes: readonly string[]): HostKeyAlgorithm[] {
  const forType = (type: string): HostKeyAlgorithm[] =>
    type === "ssh-rsa"
      ? ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"]
      : DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => a === type);
  const preferred = knownTypes.flatMap(forType);
  return [...new Set([...preferred, ...DEFAULT_HOST_KEY_ALGORITHMS])];
}

/** The algorithm name at the start of an SSH wire-format public key. */
export function keyBlobType(key: Buffer): string | undefined {
  if (key.length < 4) return undefined;
  const length = key.readUInt32BE(0);
  if (length > key.length - 4 || length > 64) return undefined;
  return key.subarray(4, 4 + length).toString("latin1");
}

/** `SHA256:...` as `ssh-keygen -lf` prints it. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`;
}

/** ED25519, ECDSA, RSA: the names ssh uses in its messages. */
export function keyTypeLabel(type: string | undefined): string {
  if (type === undefined) return "UNKNOWN";
  if (type === "ssh-ed25519") return "ED25519";
  if (type.startsWith("ecdsa-")) return "ECDSA";
  if (type === "ssh-rsa") return "RSA";
  if (type === "ssh-dss") return "DSA";
  return type.toUpperCase();
}

export function knownHostsLine(name: string, key: Buffer, hashed: boolean): string {
  const type = keyBlobType(key) ?? "ssh-unknown";
  return `${hashed ? hashHostName(name) : name} ${type} ${key.toString("base64")}`;
}
