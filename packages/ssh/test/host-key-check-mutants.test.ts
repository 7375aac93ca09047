import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FapError } from "@fap/core";
import { blob } from "./_key-blob.js";
import { fingerprint } from "../src/known-hosts.js";
import { verifyHostKey, type HostKeyPolicy } from "../src/host-key-check.js";

// Checks the mutation run (npm run test:mutation) found untested: the details and hints of the
// refusals, and paths shown as ~/... (only for a path under the real home, which is named
// here and never written).
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "fap-hostkey-mutants-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function policy(files: string[], overrides: Partial<HostKeyPolicy> = {}): HostKeyPolicy {
  return { label: "host1", hostname: "10.1.1.1", port: 22, hostKeyAlias: undefined, files, writeFile: files[0], acceptNew: false, hashNew: false, ...overrides };
}
const line = (key: Buffer) => `10.1.1.1 ssh-ed25519 ${key.toString("base64")}\n`;

describe("verifyHostKey messages", () => {
  it("a revoked key: host, hint with file and line as ~/..., details", async () => {
    const file = path.join(dir, "revoked");
    const key = blob("ssh-ed25519");
    await writeFile(file, `${line(key)}@revoked * ssh-ed25519 ${key.toString("base64")}\n`);
    const error = (await verifyHostKey(policy([file]), key)) as FapError;
    expect(error).toMatchObject({
      code: "E_HOST_KEY_CHANGED",
      host: "host1",
      hint: `the key is marked @revoked in ${file}:2`,
      details: { hostKeyName: "10.1.1.1", fingerprint: fingerprint(key), keyType: "ssh-ed25519" },
    });
  });

  it("a changed key: every stored line, and the file that holds it for ssh-keygen -R", async () => {
    const write = path.join(dir, "known_hosts");
    const global = path.join(dir, "global_known_hosts");
    await writeFile(write, "");
    await writeFile(global, `${line(blob("ssh-ed25519"))}${line(blob("ssh-ed25519"))}`);
    const key = blob("ssh-ed25519");
    const error = (await verifyHostKey(policy([write, global], { writeFile: write }), key)) as FapError;
    expect(error.hint).toBe(
      `the stored key is at ${global}:1, ${global}:2. If you know the host was reinstalled, ` +
        `remove it with \`ssh-keygen -R '10.1.1.1' -f ${global}\`, then check the new fingerprint`,
    );
    expect(error.details).toEqual({ hostKeyName: "10.1.1.1", fingerprint: fingerprint(key), keyType: "ssh-ed25519" });
  });

  it("an unknown key with nowhere to write names ~/.ssh/known_hosts", async () => {
    const error = (await verifyHostKey(policy([], { writeFile: undefined }), blob("ssh-ed25519"))) as FapError;
    expect(error.hint).toBe("check the fingerprint, then run with --accept-new-host-keys, or: ssh-keyscan 10.1.1.1 >> ~/.ssh/known_hosts");
  });

  it("shows a path under home as ~/..., and one that only starts with home's name as it is", async () => {
    const home = os.homedir();
    const under = (await verifyHostKey(policy([], { writeFile: path.join(home, ".ssh", "fap-never-written") }), blob("ssh-ed25519"))) as FapError;
    expect(under.hint).toMatch(/ >> ~\/\.ssh\/fap-never-written$/);
    const beside = (await verifyHostKey(policy([], { writeFile: `${home}x/known_hosts` }), blob("ssh-ed25519"))) as FapError;
    expect(beside.hint!.endsWith(` >> ${home}x/known_hosts`)).toBe(true);
  });
});

describe("verifyHostKey files", () => {
  it("a known_hosts path that is a folder is an error, not an empty file", async () => {
    await expect(verifyHostKey(policy([dir]), blob("ssh-ed25519"))).rejects.toThrow(/EISDIR/);
  });

  it("appends after a last line without newline even when the file starts with one", async () => {
    const file = path.join(dir, "leading-newline");
    await writeFile(file, "\n# comment");
    expect(await verifyHostKey(policy([file], { acceptNew: true }), blob("ssh-ed25519"))).toBeUndefined();
    expect((await readFile(file, "utf8")).split("\n").slice(0, 2)).toEqual(["", "# comment"]);
  });
});
