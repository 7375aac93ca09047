import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { blob } from "./_key-blob.js";
import { checkHostKey, hostsFieldMatches, keyBlobType, keyTypeLabel, knownHostName, knownKeyTypes, parseKnownHosts } from "../src/known-hosts.js";

// known_hosts lines that are easy to get wrong: revocations of other keys, markers, malformed
// hashed names, patterns holding regex characters, odd separators.


const ED = blob("ssh-ed25519");
const ED_OTHER = blob("ssh-ed25519");
const RSA = blob("ssh-rsa", randomBytes(64));
const b64 = (key: Buffer) => key.toString("base64");
const line = (hosts: string, key: Buffer, marker = ""): string => `${marker ? `${marker} ` : ""}${hosts} ${keyBlobType(key)} ${b64(key)}`;
const status = (lines: string[], name: string, key: Buffer): string => checkHostKey(parseKnownHosts(lines.join("\n")), name, key).status;

describe("@revoked lines", () => {
  it.each<[string, string[], string, Buffer, string]>([
    ["a revoked other key alone: the host is still unknown, not changed", [line("*", RSA, "@revoked")], "example.com", ED, "unknown"],
    ["a revoked other key of the same type alone", [line("example.com", ED_OTHER, "@revoked")], "example.com", ED, "unknown"],
    ["a revoked other key beside another known key: changed", [line("example.com", ED_OTHER), line("example.com", RSA, "@revoked")], "example.com", ED, "changed"],
    ["this key revoked for another host only", [line("example.com", ED), line("other.example.com", ED, "@revoked")], "example.com", ED, "known"],
    ["this key revoked by a pattern that negates this host", [line("example.com", ED), line("*,!example.com", ED, "@revoked")], "example.com", ED, "known"],
    ["this key revoked, with no plain entry at all", [line("example.com", ED, "@revoked")], "example.com", ED, "revoked"],
    ["this key revoked, listed after its plain entry", [line("example.com", ED), line("example.com", ED, "@revoked")], "example.com", ED, "revoked"],
  ])("%s", (_what, lines, name, key, expected) => {
    expect(status(lines, name, key)).toBe(expected);
  });

  it("names the revoking line", () => {
    const result = checkHostKey(parseKnownHosts([line("example.com", ED), line("*", RSA, "@revoked"), line("*", ED, "@revoked")].join("\n"), "/kh"), "example.com", ED);
    expect(result).toMatchObject({ status: "revoked", entry: { file: "/kh", line: 3, marker: "@revoked" } });
  });

  it("does not ask the server for a revoked or cert-authority key's type first", () => {
    const entries = parseKnownHosts([line("example.com", RSA, "@revoked"), line("*", ED, "@cert-authority")].join("\n"));
    expect(knownKeyTypes(entries, "example.com")).toEqual([]);
    const both = parseKnownHosts([line("example.com", RSA), line("example.com", ED), line("example.com", ED_OTHER)].join("\n"));
    expect(knownKeyTypes(both, "example.com")).toEqual(["ssh-rsa", "ssh-ed25519"]);
  });

  it("lists every plain entry of a changed key, and only those", () => {
    const result = checkHostKey(parseKnownHosts([line("example.com", ED_OTHER), line("*", RSA, "@revoked"), line("example.com", RSA)].join("\n")), "example.com", ED);
    expect(result.status).toBe("changed");
    expect(result.status === "changed" && result.entries.map((e) => e.line)).toEqual([1, 3]);
  });
});

describe("parsing odd lines", () => {
  it("skips lines with an unknown marker, missing fields or an empty key, and reads tab-separated fields", () => {
    const text = [
      `@revoke example.com ssh-ed25519 ${b64(ED)}`,
      `@revoked example.com ssh-ed25519`,
      "example.com ssh-ed25519 ====",
      `example.com\tssh-ed25519\t${b64(ED)}`,
      `  # indented comment ${b64(ED)}`,
      `@cert-authority`,
    ].join("\n");
    expect(parseKnownHosts(text).map((e) => [e.marker, e.hosts, e.line])).toEqual([[undefined, "example.com", 4]]);
  });

  it("reads lines ending in \\r\\n", () => {
    const entries = parseKnownHosts(`${line("example.com", ED)}\r\n${line("other", RSA)}\r\n`);
    expect(entries.map((e) => e.hosts)).toEqual(["example.com", "other"]);
    expect(entries[0]?.key.equals(ED)).toBe(true);
  });
});

describe("host fields", () => {
  it.each<[string, string, boolean]>([
    ["web+1", "web+1", true],
    ["web+1", "webb1", false],
    ["web.example.com", "webxexample.com", false],
    ["(web)", "(web)", true],
    ["[host]:2222", "[host]:2222", true],
    ["[host]:2222", "h", false],
    ["web?", "web1", true],
    ["web?", "web12", false],
    ["WEB1", "web1", true],
    ["web1,,web2", "web2", true],
    ["!web1", "web1", false],
    ["!web1", "web2", false],
    ["*", "", true],
    ["|2|c2FsdA==|aGFzaA==", "web1", false],
    ["|1|c2FsdA==", "web1", false],
  ])("%j names %j: %s", (hosts, name, expected) => {
    expect(hostsFieldMatches(hosts, name)).toBe(expected);
  });

  it("reads only version 1 of hashed names, even when the hash itself would match", () => {
    const salt = randomBytes(20);
    const hash = createHmac("sha1", salt).update("web1").digest("base64");
    expect(hostsFieldMatches(`|1|${salt.toString("base64")}|${hash}`, "web1")).toBe(true);
    expect(hostsFieldMatches(`|2|${salt.toString("base64")}|${hash}`, "web1")).toBe(false);
    expect(hostsFieldMatches(`|1|${salt.toString("base64")}|${hash}`, "web2")).toBe(false);
  });

  it("writes the name as OpenSSH does: lower case, [host]:port unless 22", () => {
    expect(knownHostName("Web1.Example.COM", 22)).toBe("web1.example.com");
    expect(knownHostName("Web1", 2222)).toBe("[web1]:2222");
  });
});

describe("key blobs", () => {
  it("reads a type only when its length fits the blob and is short", () => {
    const long = Buffer.concat([Buffer.from([0, 0, 0, 65]), Buffer.alloc(65, 97)]);
    expect(keyBlobType(long)).toBeUndefined();
    const max = Buffer.concat([Buffer.from([0, 0, 0, 64]), Buffer.alloc(64, 97)]);
    expect(keyBlobType(max)).toBe("a".repeat(64));
    expect(keyBlobType(Buffer.from([0, 0, 0, 2, 97]))).toBeUndefined();
    expect(keyBlobType(Buffer.from([0, 0, 0, 0]))).toBe("");
    expect(keyBlobType(Buffer.from([0, 0, 0]))).toBeUndefined();
  });

  it.each<[string | undefined, string]>([
    [undefined, "UNKNOWN"],
    ["ssh-dss", "DSA"],
    ["ecdsa-sha2-nistp521", "ECDSA"],
    ["sk-ssh-ed25519@openssh.com", "SK-SSH-ED25519@OPENSSH.COM"],
  ])("labels %s as %s", (type, label) => {
    expect(keyTypeLabel(type)).toBe(label);
  });
});
