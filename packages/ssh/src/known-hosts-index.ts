import { hostsFieldMatches, patternsOf, type KnownHostEntry } from "./known-hosts.js";

/**
 * The entries of one known_hosts file that name a host, in file order: what checkHostKey and
 * knownKeyTypes would pick out of all of them. A fleet's file has a line per host and every
 * connection looks its host up, so lines naming plain hosts are found by name; only hashed
 * lines and lines with wildcards or negations are tried one by one, as before.
 */
export function knownHostsIndex(entries: readonly KnownHostEntry[]): (name: string) => KnownHostEntry[] {
  const byName = new Map<string, number[]>();
  const scanned: number[] = [];
  entries.forEach((entry, index) => {
    const patterns = entry.hosts.startsWith("|1|") ? undefined : patternsOf(entry.hosts);
    if (patterns === undefined || patterns.negated.length > 0 || patterns.names.some((p) => p.includes("*") || p.includes("?"))) {
      scanned.push(index);
      return;
    }
    for (const name of new Set(patterns.names)) {
      const list = byName.get(name);
      if (list) list.push(index);
      else byName.set(name, [index]);
    }
  });
  return (name) => {
    const found = byName.get(name.toLowerCase()) ?? [];
    const others = scanned.filter((index) => hostsFieldMatches(entries[index]!.hosts, name));
    const indexes = others.length === 0 ? found : [...found, ...others].sort((a, b) => a - b);
    return indexes.map((index) => entries[index]!);
  };
}
