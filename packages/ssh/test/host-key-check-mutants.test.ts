import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FapError } from "@fap/core";
import { blob } from "./_key-blob.js";
import { fingerprint } from "../src/known-hosts.js";
import type { HostKeyPolicy } from "../src/host-key-check.js";

// Checks the mutation run (npm run test:mutation) found untested: the details and hints of the
// refusals, and paths shown as ~/... The module reads the home folder when it loads, so it is
// loaded here with HOME pointing at a temporary folder (vitest loads it afresh for this file).
let home: string;
let savedHome: string | undefined;
let verifyHostKey: typeof import("../src/host-key-check.js").verifyHostKey;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), "fap-hostkey-home-"));
  await mkdir(path.join(home, ".ssh"));
  savedHome = process.env["HOME"];
  process.env["HOME"] = home;
  ({ verifyHostKey } = await import("../src/host-key-check.js"));
});
afterAll(async () => {
  process.env["HOME"] = savedHome;
  await rm(home, { recursive: true, force: true });
});

function policy(files: string[], overrides: Partial<HostKeyPolicy> = {}): HostKeyPolicy {
  return { label: "host1", hostname: "10.1.1.1", port: 22, hostKeyAlias: undefined, files, writeFile: files[0], acceptNew: false, hashNew: false, ...overrides };
}
const line = (key: Buffer) => `10.1.1.1 ssh-ed25519 ${key.toString("base64")}\n`;

describe("verifyHostKey messages", () => {
  it("a revoked key: host, hint with file and line as ~/..., details", async () => {
    const file = path.join(home, ".ssh", "revoked");
    const key = blob("ssh-ed25519");
    await writeFile(file, `${line(key)}@revoked * ssh-ed25519 ${key.toString("base64")}\n`);
    const error = (await verifyHostKey(policy([file]), key)) as FapError;
    expect(error).toMatchObject({
      code: "E_HOST_KEY_CHANGED",
      host: "host1",
      hint: "the key is marked @revoked in ~/.ssh/revoked:2",
      details: { hostKeyName: "10.1.1.1", fingerprint: fingerprint(key), keyType: "ssh-ed25519" },
    });
  });

  it("a changed key: every stored line, and the file that holds it for ssh-keygen -R", async () => {
    const write = path.join(home, ".ssh", "known_hosts");
    const global = path.join(home, "global_known_hosts");
    await writeFile(write, "");
    await writeFile(global, `${line(blob("ssh-ed25519"))}${line(blob("ssh-ed25519"))}`);
    const key = blob("ssh-ed25519");
    const error = (await verifyHostKey(policy([write, global], { writeFile: write }), key)) as FapError;
    expect(error.hint).toBe(
      "the stored key is at ~/global_known_hosts:1, ~/global_known_hosts:2. If you know the host was reinstalled, " +
        "remove it with `ssh-keygen -R '10.1.1.1' -f ~/global_known_hosts`, then check the new fingerprint",
    );
    expect(error.details).toEqual({ hostKeyName: "10.1.1.1", fingerprint: fingerprint(key), keyType: "ssh-ed25519" });
  });

  it("an unknown key with nowhere to write names ~/.ssh/known_hosts", async () => {
    const error = (await verifyHostKey(policy([], { writeFile: undefined }), blob("ssh-ed25519"))) as FapError;
    expect(error.hint).toBe("check the fingerprint, then run with --accept-new-host-keys, or: ssh-keyscan 10.1.1.1 >> ~/.ssh/known_hosts");
  });

  it("shows a path outside home as it is, even one that starts with home's name", async () => {
    const error = (await verifyHostKey(policy([`${home}x/known_hosts`]), blob("ssh-ed25519"))) as FapError;
    expect(error.hint).toMatch(new RegExp(` >> ${home}x/known_hosts$`));
  });
});

describe("verifyHostKey files", () => {
  it("a known_hosts path that is a folder is an error, not an empty file", async () => {
    await expect(verifyHostKey(policy([home]), blob("ssh-ed25519"))).rejects.toThrow(/EISDIR/);
  });

  it("appends after a last line without newline even when the file starts with one", async () => {
    const file = path.join(home, ".ssh", "leading-newline");
    await writeFile(file, "\n# comment");
    expect(await verifyHostKey(policy([file], { acceptNew: true }), blob("ssh-ed25519"))).toBeUndefined();
    expect((await readFile(file, "utf8")).split("\n").slice(0, 2)).toEqual(["", "# comment"]);
  });
});
