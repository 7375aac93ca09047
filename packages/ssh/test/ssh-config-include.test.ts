import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSshConfig, resolveSshTarget } from "../src/ssh-config.js";

// Include and ProxyCommand in ~/.ssh/config, resolved as OpenSSH resolves them.

let home: string;
const local = () => ({ home, localUser: "me" });
const write = (name: string, text: string) => writeFile(path.join(home, ".ssh", name), text);
const resolve = async (config: string, host: string) => {
  await write("config", config);
  return resolveSshTarget({ host }, await loadSshConfig(path.join(home, ".ssh", "config"), home), local());
};

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), "fap-ssh-include-"));
  await mkdir(path.join(home, ".ssh", "config.d"), { recursive: true });
  await write("config.d/20-b", "Host x\n  Port 2002\n  User b\n");
  await write("config.d/10-a", "Host x\n  Port 1001\n");
  await write("config.d/.hidden", "Host x\n  HostName hidden\n");
  await write("cond.conf", "User inc\nHost *\n  Port 3003\nHost nomatch\n  User never\n");
  await write("leak.conf", "Host *\n  Port 4004\n");
  await write("self.conf", "Include self.conf\n");
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe("Include", () => {
  it("reads a relative glob under ~/.ssh, files in sorted order, no dot files", async () => {
    const target = await resolve("Include config.d/*\n", "x");
    expect([target.port, target.user, target.hostname]).toEqual([1001, "b", "x"]);
  });

  it("takes ~/ paths and several words, and skips files that do not exist", async () => {
    const target = await resolve("Include ~/.ssh/missing ~/.ssh/config.d/20-b\n", "x");
    expect([target.port, target.user]).toEqual([2002, "b"]);
  });

  it("inside a Host block: applies for that host, its own Host blocks match on their own, the block's state comes back after", async () => {
    const config = "Host x\n  Include cond.conf\n  HostName after.example\n";
    const x = await resolve(config, "x");
    expect([x.user, x.port, x.hostname]).toEqual(["inc", 3003, "after.example"]);
    const y = await resolve(config, "y");
    expect([y.user, y.port, y.hostname]).toEqual(["me", 22, "y"]);
  });

  it("inside a Host block that does not match: nothing of the file applies, not even its Host *", async () => {
    const target = await resolve("Host other\n  Include leak.conf\nHost x\n  Port 5005\n", "x");
    expect(target.port).toBe(5005);
  });

  it("a file that includes itself is a clear config error, not a hang", async () => {
    await expect(resolve("Include self.conf\n", "x")).rejects.toThrow(/Include nested more than 16 deep/);
  });
});

describe("ProxyCommand", () => {
  it("is kept for the connector to refuse; `none` is none", async () => {
    expect((await resolve("Host x\n  ProxyCommand nc %h %p\n", "x")).proxyCommand).toBe("nc %h %p");
    expect((await resolve("Host x\n  ProxyCommand none\nHost *\n  ProxyCommand nc %h %p\n", "x")).proxyCommand).toBeUndefined();
  });
});
