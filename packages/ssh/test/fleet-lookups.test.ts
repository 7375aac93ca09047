import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import SSHConfig from "ssh-config";
import { describe, expect, it } from "vitest";
import { readKnownHostsFiles } from "../src/host-key-check.js";
import { checkHostKey, hashHostName, hostsFieldMatches, knownKeyTypes } from "../src/known-hosts.js";
import { resolvingByHost } from "../src/ssh-config-by-host.js";

// A fleet's ~/.ssh/config has a Host block per machine and its known_hosts a line per machine;
// each connection looks its host up in both, through an index or a pruned config. These tests
// hold the shortcuts to the answers of the full lookups; what they save in CPU is measured by
// the bench (bench/lib/cpu-bench.mjs), not asserted here.
const FLEET = 1000;

function fleetConfig(count: number): string {
  let text = "";
  for (let i = 1; i <= count; i++) {
    text += `Host h${i}\n  HostName 127.0.0.1\n  Port ${40000 + i}\n  User deploy\n  IdentityFile ~/.ssh/fleet\n  UserKnownHostsFile ~/.ssh/fleet_known_hosts\n\n`;
  }
  return text;
}

describe("a fleet of 1000 hosts", () => {
  it("resolves a host of a Host block per machine", () => {
    const config = resolvingByHost(SSHConfig.parse(fleetConfig(FLEET)));
    expect(config.compute({ Host: "h777" }, { ignoreCase: true })).toMatchObject({ port: String(40777), user: "deploy" });
  });
});

describe("readKnownHostsFiles with a host name", () => {
  const key = Buffer.from(`${"\0\0\0\x0bssh-ed25519\0\0\0\x20"}${"k".repeat(32)}`, "latin1");
  const line = (hosts: string) => `${hosts} ssh-ed25519 ${key.toString("base64")}\n`;
  let dir: string;
  const file = (name: string) => path.join(dir, name);

  it("finds a host's line in a known_hosts of a line per machine", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "fap-fleet-known-hosts-"));
    try {
      let text = "";
      for (let i = 1; i <= FLEET; i++) text += line(`[127.0.0.1]:${40000 + i}`);
      await writeFile(file("known_hosts"), text);
      const files = [file("known_hosts"), file("missing")];
      const name = "[127.0.0.1]:40777";
      expect(checkHostKey(await readKnownHostsFiles(files, name), name, key)).toMatchObject({ status: "known", entry: { line: 777 } });
      expect(knownKeyTypes(await readKnownHostsFiles(files, name), name)).toEqual(["ssh-ed25519"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("gives the lines that name the host, in file order, whatever their patterns", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "fap-fleet-known-hosts-"));
    try {
      const text = [
        line("web1,Web2"),
        line(hashHostName("web2")),
        line("web*,!web3"),
        line("WEB2"),
        line("db?"),
        line("web2,web2"),
        line("!web2,web2"),
        line(","),
      ].join("") + `@revoked web2 ssh-ed25519 ${key.toString("base64")}\n`;
      await writeFile(file("a"), text);
      // A line of a plain name and a wildcard is tried line by line, like one of wildcards only.
      await writeFile(file("b"), line("web2") + line("db1") + line("zz,db*"));
      const files = [file("a"), file("b")];
      const all = await readKnownHostsFiles(files);
      for (const name of ["web2", "WEB2", "web1", "web3", "db1", "db12", "other"]) {
        const found = await readKnownHostsFiles(files, name);
        expect(found, name).toEqual(all.filter((e) => hostsFieldMatches(e.hosts, name)));
      }
      expect((await readKnownHostsFiles(files, "web2")).map((e) => `${path.basename(e.file)}:${e.line}`)).toEqual(["a:1", "a:2", "a:3", "a:4", "a:6", "a:9", "b:1"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("resolvingByHost", () => {
  // Leaving out other hosts' Host blocks must never change what a host resolves to.
  const configs: Record<string, string> = {
    "plain blocks, a wildcard and a catch-all": "Host a\n  Port 1\nHost b c\n  Port 2\nHost *.example.com\n  User wild\nHost *\n  Port 9\n  User all\n",
    "a negated pattern": "Host !a b*\n  Port 3\nHost a\n  Port 1\n",
    "a name and a wildcard in one block": "Host a b*\n  Port 3\nHost *\n  Port 9\n",
    "the first value wins, whichever block gives it": "Host *\n  User first\nHost a\n  User late\n  Port 5\n",
    "a Match after the blocks": "Host a\n  HostName 10.0.0.1\nMatch host 10.0.0.1\n  Port 7\n",
    "Match final (a second pass with HostName)": "Host a\n  HostName b\nMatch final\n  User f\nHost b\n  Port 8\n",
    "Match final among other criteria": "Host a\n  HostName b\nMatch final host b\n  User f\nHost b\n  Port 8\n",
    "CanonicalizeHostName": "Host a\n  CanonicalizeHostName no\n  Port 4\nHost b\n  Port 2\n",
    "names differing in case": "Host A\n  Port 1\nHost a\n  Port 2\n",
  };
  const hosts = ["a", "A", "b", "c", "bz", "x.example.com", "nothing"];

  for (const [name, text] of Object.entries(configs)) {
    it(`resolves as the whole config does: ${name}`, () => {
      const whole = SSHConfig.parse(text);
      const byHost = resolvingByHost(SSHConfig.parse(text));
      for (const host of hosts) {
        for (const user of [undefined, "u"]) {
          const opts = user === undefined ? { Host: host } : { Host: host, User: user };
          expect(byHost.compute(opts, { ignoreCase: true }), `${host} ${user ?? ""}`).toEqual(whole.compute(opts, { ignoreCase: true }));
        }
      }
    });
  }
});
