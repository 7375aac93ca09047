import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { blob } from "./_key-blob.js";
import {
  checkHostKey,
  fingerprint,
  hashHostName,
  hostsFieldMatches,
  keyBlobType,
  keyTypeLabel,
  knownHostName,
  knownHostsLine,
  knownKeyTypes,
  matchWildcard,
  parseKnownHosts,
  preferredHostKeyAlgorithms,
} from "../src/known-hosts.js";


/** Hashed the way `ssh-keygen -H` does it, computed here independently of the code under test. */
function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString("base64")}|${createHmac("sha1", salt).update(name).digest("base64")}`;
}

const ED = blob("ssh-ed25519");
const ED_OTHER = blob("ssh-ed25519");
const RSA = blob("ssh-rsa", randomBytes(64));

describe("knownHostName", () => {
  it.each([
    ["example.com", 22, "example.com"],
    ["Example.COM", 22, "example.com"],
    ["127.0.0.1", 2222, "[127.0.0.1]:2222"],
    ["::1", 2200, "[::1]:2200"],
  ])("%s port %d -> %s", (host, port, expected) => {
    expect(knownHostName(host, port)).toBe(expected);
  });
});

describe("host patterns", () => {
  it.each([
    ["example.com", "example.com", true],
    ["EXAMPLE.com", "example.COM", true],
    ["*.example.com", "web1.example.com", true],
    ["*.example.com", "example.com", false],
    ["web?.example.com", "web1.example.com", true],
    ["web?.example.com", "web10.example.com", false],
    ["a.b", "axb", false], // the dot is literal
    ["[127.0.0.1]:2222", "[127.0.0.1]:2222", true],
    ["[127.0.0.1]:*", "[127.0.0.1]:2222", true],
    ["127.0.0.1", "[127.0.0.1]:2222", false],
  ])("%s vs %s", (pattern, name, expected) => {
    expect(matchWildcard(pattern, name)).toBe(expected);
  });

  it.each([
    ["web1,web2", "web2", true],
    ["web1,web2", "web3", false],
    ["*.example.com,!db.example.com", "web.example.com", true],
    ["*.example.com,!db.example.com", "db.example.com", false],
    ["!db.example.com,*.example.com", "db.example.com", false], // a matching negation vetoes the line
    ["!db.example.com", "web.example.com", false], // negation alone matches nothing
    ["web1,[web1]:2222", "[web1]:2222", true],
    ["web1,,web2", "web2", true],
  ])("field %s vs %s", (field, name, expected) => {
    expect(hostsFieldMatches(field, name)).toBe(expected);
  });

  it("matches hashed names", () => {
    const name = "[127.0.0.1]:2222";
    expect(hostsFieldMatches(hashed(name), name)).toBe(true);
    expect(hostsFieldMatches(hashed(name), "[127.0.0.1]:2223")).toBe(false);
    expect(hostsFieldMatches(hashHostName(name), name)).toBe(true);
    expect(hostsFieldMatches("|1|garbage", name)).toBe(false);
    expect(hostsFieldMatches("|2|a|b", name)).toBe(false);
  });
});

describe("parseKnownHosts", () => {
  it("reads entries, markers, comments and skips junk", () => {
    const text = [
      "# a comment",
      "",
      `web1,web2 ssh-ed25519 ${ED.toString("base64")} comment here`,
      `@revoked * ssh-rsa ${RSA.toString("base64")}`,
      `@cert-authority *.example.com ssh-ed25519 ${ED_OTHER.toString("base64")}`,
      "@unknown-marker web1 ssh-ed25519 AAAA",
      "only-two fields",
      `   indented ssh-ed25519 ${ED.toString("base64")}`,
    ].join("\n");
    const entries = parseKnownHosts(text, "/k");
    expect(entries.map((e) => [e.marker, e.hosts, e.keyType, e.line])).toEqual([
      [undefined, "web1,web2", "ssh-ed25519", 3],
      ["@revoked", "*", "ssh-rsa", 4],
      ["@cert-authority", "*.example.com", "ssh-ed25519", 5],
      [undefined, "indented", "ssh-ed25519", 8],
    ]);
    expect(entries[0]?.key.equals(ED)).toBe(true);
    expect(entries[0]?.file).toBe("/k");
  });
});

describe("checkHostKey", () => {
  const line = (hosts: string, key: Buffer, marker = ""): string =>
    `${marker ? `${marker} ` : ""}${hosts} ${keyBlobType(key)} ${key.toString("base64")}`;
  const check = (lines: string[], name: string, key: Buffer): string =>
    checkHostKey(parseKnownHosts(lines.join("\n")), name, key).status;

  it.each<[string, string[], string, Buffer, string]>([
    ["plain name, same key", [line("example.com", ED)], "example.com", ED, "known"],
    ["[host]:port, same key", [line("[127.0.0.1]:2222", ED)], "[127.0.0.1]:2222", ED, "known"],
    ["port form does not match port 22 name", [line("[127.0.0.1]:2222", ED)], "127.0.0.1", ED, "unknown"],
    ["other port is another host", [line("[127.0.0.1]:2222", ED)], "[127.0.0.1]:2223", ED, "unknown"],
    ["empty file", [], "example.com", ED, "unknown"],
    ["wildcard", [line("*.example.com", ED)], "web.example.com", ED, "known"],
    ["negated", [line("*.example.com,!web.example.com", ED)], "web.example.com", ED, "unknown"],
    ["hashed", [line(hashed("[127.0.0.1]:2222"), ED)], "[127.0.0.1]:2222", ED, "known"],
    ["hashed, other key", [line(hashed("[127.0.0.1]:2222"), ED_OTHER)], "[127.0.0.1]:2222", ED, "changed"],
    ["other key of the same type", [line("example.com", ED_OTHER)], "example.com", ED, "changed"],
    ["only a key of another type", [line("example.com", RSA)], "example.com", ED, "changed"],
    ["one of several keys", [line("example.com", RSA), line("example.com", ED)], "example.com", ED, "known"],
    ["revoked wins over known", [line("example.com", ED), line("*", ED, "@revoked")], "example.com", ED, "revoked"],
    ["revocation of another key is irrelevant", [line("example.com", ED), line("*", RSA, "@revoked")], "example.com", ED, "known"],
    ["cert-authority lines are not host keys", [line("*", ED, "@cert-authority")], "example.com", ED, "unknown"],
    ["cert-authority lines do not make it changed", [line("*", ED_OTHER, "@cert-authority")], "example.com", ED, "unknown"],
  ])("%s", (_name, lines, name, key, expected) => {
    expect(check(lines, name, key)).toBe(expected);
  });
});

describe("key helpers", () => {
  it("reads the type from a key blob", () => {
    expect(keyBlobType(ED)).toBe("ssh-ed25519");
    expect(keyBlobType(Buffer.from([0, 0]))).toBeUndefined();
    expect(keyBlobType(Buffer.from([0xff, 0xff, 0xff, 0xff, 1]))).toBeUndefined();
  });

  it("labels key types as ssh does", () => {
    expect(keyTypeLabel("ssh-ed25519")).toBe("ED25519");
    expect(keyTypeLabel("ecdsa-sha2-nistp256")).toBe("ECDSA");
    expect(keyTypeLabel("ssh-rsa")).toBe("RSA");
  });

  it("prints SHA256 fingerprints without padding, like ssh-keygen -l", () => {
    // sha256("") in base64 is 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
    expect(fingerprint(Buffer.alloc(0))).toBe("SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU");
  });

  it("writes lines that read back, plain or hashed", () => {
    for (const hashedLine of [false, true]) {
      const text = knownHostsLine("[127.0.0.1]:2222", ED, hashedLine);
      expect(text.startsWith("|1|")).toBe(hashedLine);
      expect(checkHostKey(parseKnownHosts(text), "[127.0.0.1]:2222", ED).status).toBe("known");
    }
  });

  it("asks for known key types first", () => {
    const entries = parseKnownHosts(`example.com ssh-rsa ${RSA.toString("base64")}`);
    expect(knownKeyTypes(entries, "example.com")).toEqual(["ssh-rsa"]);
    expect(preferredHostKeyAlgorithms(["ssh-rsa"]).slice(0, 4)).toEqual(["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa", "ssh-ed25519"]);
    expect(preferredHostKeyAlgorithms([])[0]).toBe("ssh-ed25519");
    expect(new Set(preferredHostKeyAlgorithms(["ecdsa-sha2-nistp256"])).size).toBe(7);
  });
});
