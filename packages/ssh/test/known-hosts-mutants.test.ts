import { describe, expect, it } from "vitest";
import { blob } from "./_key-blob.js";
import { parseHostString } from "../src/host-string.js";
import { hostsFieldMatches, knownHostsLine, knownKeyTypes, matchWildcard, parseKnownHosts, preferredHostKeyAlgorithms } from "../src/known-hosts.js";

// Behaviours that mutation testing (npm run test:mutation) found no test for.

const ED = blob("ssh-ed25519");

describe("known_hosts details", () => {
  it("names the file known_hosts when none is given", () => {
    expect(parseKnownHosts(`web1 ssh-ed25519 ${ED.toString("base64")}`)[0]?.file).toBe("known_hosts");
  });

  it("reads fields separated by several spaces", () => {
    const [entry] = parseKnownHosts(`@revoked   web1  ssh-ed25519   ${ED.toString("base64")}`);
    expect(entry).toMatchObject({ marker: "@revoked", hosts: "web1", keyType: "ssh-ed25519" });
  });

  it("asks first for the key type the stored key is, whatever the line's type field says", () => {
    const entries = parseKnownHosts(`web1 ssh-rsa ${ED.toString("base64")}\nweb1 ssh-dss ${Buffer.from("junk").toString("base64")}`);
    expect(knownKeyTypes(entries, "web1")).toEqual(["ssh-ed25519", "ssh-dss"]);
  });

  it.each<[string[], string[]]>([
    [["ssh-ed25519"], ["ssh-ed25519", "ecdsa-sha2-nistp256"]],
    [["ecdsa-sha2-nistp384"], ["ecdsa-sha2-nistp384", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp521"]],
    [["ecdsa-sha2-nistp521", "ssh-rsa"], ["ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa", "ssh-ed25519"]],
    [["ssh-dss"], ["ssh-ed25519"]],
  ])("puts the algorithms of known types %j first", (known, first) => {
    const algorithms = preferredHostKeyAlgorithms(known);
    expect(algorithms.slice(0, first.length)).toEqual(first);
    expect(algorithms).toHaveLength(7);
  });

  it("lets * match any character, a newline too (as OpenSSH's match_pattern)", () => {
    expect(matchWildcard("web*", "web\n1")).toBe(true);
    expect(matchWildcard("web?", "web\n")).toBe(true);
  });

  it("ignores empty patterns in a host field", () => {
    expect(hostsFieldMatches("web1,", "")).toBe(false);
    expect(hostsFieldMatches(",web1", "web1")).toBe(true);
  });

  it("writes a key of unknown type as ssh-unknown", () => {
    expect(knownHostsLine("web1", Buffer.from([1, 2, 3]), false)).toBe("web1 ssh-unknown AQID");
  });
});

describe("host string details", () => {
  it("says an empty host string is empty, not that its host is", () => {
    expect(() => parseHostString("   ")).toThrow("invalid host '   ': it is empty");
  });

  it("splits at the last @ wherever it is, and leaves user out when there is none", () => {
    expect(parseHostString("a@web1")).toStrictEqual({ host: "web1", user: "a" });
    expect(parseHostString("web1")).toStrictEqual({ host: "web1" });
    expect(Object.keys(parseHostString("web1:22"))).toEqual(["host", "port"]);
  });
});
