import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import SSHConfig from "ssh-config";
import { describe, expect, it } from "vitest";
import { readKnownHostsFiles } from "../src/host-key-check.js";
import { hashHostName, parseKnownHosts, patternsOf } from "../src/known-hosts.js";
import { knownHostsIndex } from "../src/known-hosts-index.js";
import { resolvingByHost } from "../src/ssh-config-by-host.js";

// Checks the mutation run (npm run test:mutation) found untested in the fleet lookups: a
// shortcut that stops cutting (every Host block tested, every known_hosts line tried) still
// gives the right answers, which is all fleet-lookups.test.ts holds it to. These hold the
// shortcuts to what they are for: a host's lookup does not look at the other machines' lines,
// and what was split or indexed once is not split or indexed again.

type Directive = Extract<SSHConfig[number], { param: string }>;

/** Reads `field` of each object through a getter that records `name(object)` on every read. */
function recordReads<T extends object>(objects: Iterable<T>, field: keyof T, name: (object: T) => string): Set<string> {
  const read = new Set<string>();
  for (const object of objects) {
    const value = object[field];
    const key = name(object);
    Object.defineProperty(object, field, { get: () => (read.add(key), value), configurable: true });
  }
  return read;
}

describe("resolvingByHost on a fleet's config", () => {
  // Comments, a Match and wildcard blocks are there to show they do not make it give up the cut.
  let text = "# the fleet\n";
  for (let i = 1; i <= 50; i++) text += `Host h${i} # machine ${i}\n  # its own port\n  Port ${40000 + i}\n`;
  text += "Host *.example.com\n  User wild\nMatch host h7\n  ServerAliveInterval 5\nHost *\n  User deploy\n  ConnectTimeout 7\n";

  it("tests only the host's own plain Host block, and still every other kind of line", () => {
    const config = SSHConfig.parse(text);
    const byHost = resolvingByHost(config);
    const hostLines = config.filter((line): line is Directive => line.type === SSHConfig.DIRECTIVE && line.param === "Host");
    const read = recordReads(hostLines, "value", (line) => String(line.value));
    expect(byHost.compute({ Host: "h7" }, { ignoreCase: true })).toEqual({
      host: "h7",
      port: "40007",
      serveraliveinterval: "5",
      user: "deploy",
      connecttimeout: "7",
    });
    expect([...read].sort()).toEqual(["*", "*.example.com", "h7"]);
  });

  // With canonicalization on, compute may try the host again as h7.example.com, which other
  // blocks can name: no block can be left out. (Whether it does needs DNS, which no test has.)
  it("tests every Host block of a config where a block turns CanonicalizeHostName on", () => {
    const config = SSHConfig.parse(`${text}Host bastion\n  CanonicalizeHostName yes\n  CanonicalDomains example.com\n`);
    const byHost = resolvingByHost(config);
    const hostLines = config.filter((line): line is Directive => line.type === SSHConfig.DIRECTIVE && line.param === "Host");
    const read = recordReads(hostLines, "value", (line) => String(line.value));
    expect(byHost.compute({ Host: "h7" }, { ignoreCase: true })).toMatchObject({ port: "40007", user: "deploy" });
    expect(read.size).toBe(hostLines.length);
  });
});

describe("knownHostsIndex on a fleet's known_hosts", () => {
  const key = Buffer.from(`${"\0\0\0\x0bssh-ed25519\0\0\0\x20"}${"k".repeat(32)}`, "latin1").toString("base64");
  let text = "";
  for (let i = 1; i <= 50; i++) text += `h${i} ssh-ed25519 ${key}\n`;
  // Lines 51 to 54: the ones no name can index, each tried against the host looked up.
  text += `web* ssh-ed25519 ${key}\n${hashHostName("h7")} ssh-ed25519 ${key}\n!h8,h9 ssh-ed25519 ${key}\nzz,h? ssh-ed25519 ${key}\n`;

  it("tries only hashed lines and lines with wildcards or negations, and finds the rest by name", () => {
    const entries = parseKnownHosts(text);
    const lookup = knownHostsIndex(entries);
    const tried = recordReads(entries, "hosts", (entry) => String(entry.line));
    expect(lookup("h7").map((entry) => entry.line)).toEqual([7, 52, 54]);
    expect([...tried].sort()).toEqual(["51", "52", "53", "54"]);
    expect(lookup("H9").map((entry) => entry.line)).toEqual([9, 53, 54]);
    expect(lookup("zz").map((entry) => entry.line)).toEqual([54]);
  });
});

describe("the caches of the known_hosts lookups", () => {
  it("splits each distinct host field once, and forgets them all past 10 000 fields", () => {
    const first = patternsOf("cache-a,!cache-b");
    patternsOf("cache-c");
    expect(patternsOf("cache-a,!cache-b")).toBe(first);
    for (let i = 0; i < 10_000; i++) patternsOf(`cache-${i}.example.com`);
    const again = patternsOf("cache-a,!cache-b");
    expect(again).not.toBe(first);
    expect(again).toEqual({ names: ["cache-a"], negated: ["cache-b"] });
  });

  it("indexes a known_hosts file once while it does not change", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "fap-fleet-index-"));
    try {
      const key = Buffer.from(`${"\0\0\0\x0bssh-ed25519\0\0\0\x20"}${"k".repeat(32)}`, "latin1").toString("base64");
      let text = "";
      for (let i = 1; i <= 50; i++) text += `h${i} ssh-ed25519 ${key}\n`;
      const files = [path.join(dir, "known_hosts")];
      await writeFile(files[0]!, `${text}web* ssh-ed25519 ${key}\n`);
      expect((await readKnownHostsFiles(files, "h1")).map((entry) => entry.line)).toEqual([1]);
      // The same entries, parsed once: a second host's lookup tries only the wildcard line.
      const tried = recordReads(await readKnownHostsFiles(files), "hosts", (entry) => String(entry.line));
      expect((await readKnownHostsFiles(files, "h7")).map((entry) => entry.line)).toEqual([7]);
      expect([...tried]).toEqual(["51"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
