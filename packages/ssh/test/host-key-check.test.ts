import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blob } from "./_key-blob.js";
import type { FapError } from "@fap/core";
import { verifyHostKey, type HostKeyPolicy } from "../src/host-key-check.js";
import { fingerprint } from "../src/known-hosts.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "fap-hostkey-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function policy(file: string, overrides: Partial<HostKeyPolicy> = {}): HostKeyPolicy {
  return {
    label: "host1",
    hostname: "127.0.0.1",
    port: 2222,
    hostKeyAlias: undefined,
    files: [file],
    writeFile: file,
    acceptNew: false,
    hashNew: false,
    ...overrides,
  };
}

describe("verifyHostKey", () => {
  it("refuses an unknown host with the fingerprint and how to add it", async () => {
    const file = path.join(dir, "a", "known_hosts");
    const key = blob("ssh-ed25519");
    const error = (await verifyHostKey(policy(file), key)) as FapError;
    expect(error.code).toBe("E_HOST_KEY_UNKNOWN");
    expect(error.message).toBe(`host key for [127.0.0.1]:2222 is not known (ED25519 ${fingerprint(key)})`);
    expect(error.hint).toBe(
      `check the fingerprint, then run with --accept-new-host-keys, or: ssh-keyscan -p 2222 127.0.0.1 >> ${file}`,
    );
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
  });

  it("leaves -p out of the hint for port 22", async () => {
    const error = (await verifyHostKey(policy(path.join(dir, "none"), { port: 22 }), blob("ssh-ed25519"))) as FapError;
    expect(error.message).toContain("host key for 127.0.0.1 is not known");
    expect(error.hint).toContain("ssh-keyscan 127.0.0.1 >>");
  });

  it("stores a new key when asked, creating dir and file private, then knows it", async () => {
    const file = path.join(dir, "new", ".ssh", "known_hosts");
    const key = blob("ssh-ed25519");
    expect(await verifyHostKey(policy(file, { acceptNew: true }), key)).toBeUndefined();
    expect(await readFile(file, "utf8")).toBe(`[127.0.0.1]:2222 ssh-ed25519 ${key.toString("base64")}\n`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect(await verifyHostKey(policy(file), key)).toBeUndefined();
  });

  it("names a known_hosts file it cannot read or write, in one E_CONFIG line", async () => {
    await writeFile(path.join(dir, "afile"), "");
    const file = path.join(dir, "afile", "known_hosts");
    const key = blob("ssh-ed25519");
    const refused = (await verifyHostKey(policy(file), key).catch((e: unknown) => e)) as FapError;
    expect(refused).toMatchObject({ code: "E_CONFIG", hint: expect.stringContaining("UserKnownHostsFile") });
    expect(refused.message).toMatch(new RegExp(`^cannot read known_hosts file ${file}: ENOTDIR`));
    const stored = (await verifyHostKey(policy(path.join(dir, "nothere"), { acceptNew: true, writeFile: file }), key).catch((e: unknown) => e)) as FapError;
    expect(stored).toMatchObject({ code: "E_CONFIG", hint: expect.stringContaining("UserKnownHostsFile") });
    expect(stored.message).toMatch(new RegExp(`^cannot store the host key in ${file}: EEXIST`));
  });

  it("stores a key once when several connections race to the same new host", async () => {
    const file = path.join(dir, "race");
    const key = blob("ssh-ed25519");
    await Promise.all(Array.from({ length: 5 }, () => verifyHostKey(policy(file, { acceptNew: true }), key)));
    expect((await readFile(file, "utf8")).trim().split("\n")).toHaveLength(1);
  });

  it("appends on a new line even when the file lacks a final newline, hashed if asked", async () => {
    const file = path.join(dir, "nonl");
    await writeFile(file, "# no newline at the end");
    expect(await verifyHostKey(policy(file, { acceptNew: true, hashNew: true }), blob("ssh-ed25519"))).toBeUndefined();
    const lines = (await readFile(file, "utf8")).split("\n");
    expect(lines[0]).toBe("# no newline at the end");
    expect(lines[1]).toMatch(/^\|1\|[^ ]+ ssh-ed25519 /);
  });

  it("refuses a changed key loudly and never overwrites it, even with acceptNew", async () => {
    const file = path.join(dir, "changed");
    const old = `[127.0.0.1]:2222 ssh-ed25519 ${blob("ssh-ed25519").toString("base64")}\n`;
    await writeFile(file, old);
    const error = (await verifyHostKey(policy(file, { acceptNew: true }), blob("ssh-ed25519"))) as FapError;
    expect(error.code).toBe("E_HOST_KEY_CHANGED");
    expect(error.message).toMatch(/^HOST KEY FOR \[127\.0\.0\.1\]:2222 HAS CHANGED .*possible man-in-the-middle/);
    expect(error.hint).toContain(`${file}:1`);
    expect(error.hint).toContain("ssh-keygen -R '[127.0.0.1]:2222'");
    expect(await readFile(file, "utf8")).toBe(old);
  });

  it("refuses a revoked key", async () => {
    const file = path.join(dir, "revoked");
    const key = blob("ssh-ed25519");
    await writeFile(file, `[127.0.0.1]:2222 ssh-ed25519 ${key.toString("base64")}\n@revoked * ssh-ed25519 ${key.toString("base64")}\n`);
    const error = (await verifyHostKey(policy(file), key)) as FapError;
    expect(error.code).toBe("E_HOST_KEY_CHANGED");
    expect(error.message).toContain("REVOKED");
  });

  it("looks up HostKeyAlias instead of the address, and reads every file", async () => {
    const a = path.join(dir, "alias1");
    const b = path.join(dir, "alias2");
    const key = blob("ssh-ed25519");
    await writeFile(a, "");
    await writeFile(b, `myalias ssh-ed25519 ${key.toString("base64")}\n`);
    expect(await verifyHostKey(policy(a, { files: [a, b], hostKeyAlias: "myalias" }), key)).toBeUndefined();
  });

  it("with nowhere to write, refuses even with acceptNew", async () => {
    const error = (await verifyHostKey(policy("/nonexistent", { files: [], writeFile: undefined, acceptNew: true }), blob("ssh-ed25519"))) as FapError;
    expect(error.code).toBe("E_HOST_KEY_UNKNOWN");
  });
});
