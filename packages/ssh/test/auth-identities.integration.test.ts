import { execFileSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadIdentities } from "../src/auth.js";

// loadIdentities with real ssh-keygen keys: what it makes of each kind of file, and when it reads again.
let dir: string;
const keygen = (name: string, passphrase: string) =>
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", passphrase, "-C", name, "-f", path.join(dir, name)]);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "fap-identities-"));
  keygen("plain", "");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("loadIdentities", () => {
  it("reports a missing file only when asked to, for the same files too", async () => {
    const files = [path.join(dir, "plain"), path.join(dir, "absent")];
    expect((await loadIdentities(files, true)).missing).toEqual([path.join(dir, "absent")]);
    expect((await loadIdentities(files, false)).missing).toEqual([]);
    expect((await loadIdentities(files, true)).missing).toEqual([path.join(dir, "absent")]);
  });

  it("says why a file is no usable key", async () => {
    const folder = path.join(dir, "folder");
    const garbage = path.join(dir, "garbage");
    await mkdir(folder, { recursive: true });
    await writeFile(garbage, "not a key at all\n");
    const found = await loadIdentities([folder, `${path.join(dir, "plain")}.pub`, garbage], true);
    expect(found.unreadable[0]).toBe(`${folder} (EISDIR)`);
    expect(found.unreadable[1]).toBe(`${path.join(dir, "plain")}.pub (not a private key)`);
    expect(found.unreadable[2]).toMatch(new RegExp(`^${garbage} \\(.+\\)$`));
    expect(found).toMatchObject({ usable: [], encrypted: [], missing: [], publicKeys: [] });
  });

  it("reads an encrypted key's public half from its .pub, once that file is there", async () => {
    const locked = path.join(dir, "locked");
    keygen("locked", "secret");
    await copyFile(`${locked}.pub`, path.join(dir, "locked.pub.saved"));
    await rm(`${locked}.pub`);
    expect(await loadIdentities([locked], true)).toMatchObject({ encrypted: [locked], publicKeys: [] });
    await writeFile(`${locked}.pub`, "garbage\n");
    expect((await loadIdentities([locked], true)).publicKeys).toEqual([]);
    await copyFile(path.join(dir, "locked.pub.saved"), `${locked}.pub`);
    const found = await loadIdentities([locked], true);
    expect(found.publicKeys).toHaveLength(1);
    expect(found.unreadable).toEqual([]);
  });

  it("says a key file that holds no key holds none", async () => {
    // OpenSSH's format with a key count of 0: ssh2 parses it to no key, not to an error.
    const empty = Buffer.concat([Buffer.from("openssh-key-v1\0"), ...["none", "none", ""].map(sshString), Buffer.alloc(4)]);
    const file = path.join(dir, "no-key");
    await writeFile(file, `-----BEGIN OPENSSH PRIVATE KEY-----\n${empty.toString("base64")}\n-----END OPENSSH PRIVATE KEY-----\n`);
    expect(await loadIdentities([file], true)).toMatchObject({ usable: [], unreadable: [`${file} (no key in file)`] });
  });

  it("keeps a usable key's public half", async () => {
    const found = await loadIdentities([path.join(dir, "plain")], true);
    expect(found.usable.map((id) => id.file)).toEqual([path.join(dir, "plain")]);
    const pub = execFileSync("ssh-keygen", ["-y", "-f", path.join(dir, "plain")], { encoding: "utf8" }).split(" ")[1]!;
    expect(found.publicKeys.map((key) => key.toString("base64"))).toEqual([pub]);
  });
});

/** An SSH wire-format string: its length (uint32), then its bytes. */
function sshString(text: string): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(Buffer.byteLength(text));
  return Buffer.concat([length, Buffer.from(text)]);
}
