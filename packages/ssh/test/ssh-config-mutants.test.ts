import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import SSHConfig from "ssh-config";
import { loadSshConfig, localUserName, resolveSshTarget } from "../src/ssh-config.js";

// Checks the mutation run (npm run test:mutation) found untested in ssh-config.ts and
// ssh-config-include.ts.

const local = { home: "/home/me", localUser: "me" };
const target = (config: string, host: string) => resolveSshTarget({ host }, SSHConfig.parse(config), local);

describe("resolveSshTarget keywords", () => {
  it("matches `Match user` against the user of the host string", () => {
    const config = "Match user bob\n  Port 2020\n";
    expect(target(config, "bob@x").port).toBe(2020);
    expect(target(config, "x").port).toBe(22);
  });

  it("names the host whose Port is bad", () => {
    expect(() => target("Host x\n  Port nope\n", "x")).toThrow(/Port in ssh config for x/);
  });

  it("expands only %% and %h in HostName", () => {
    expect(target("Host x\n  HostName %h-%r-%p-100%%\n", "x").hostname).toBe("x-%r-%p-100%");
  });

  it("expands %d %n %p %r %u %% and ~ in IdentityFile, and drops `none`", () => {
    const config = "Host x\n  HostName real\n  User deploy\n  Port 2222\n  IdentityFile none\n  IdentityFile NONE\n  IdentityFile %d/%n-%h-%p-%r-%u-100%%\n  IdentityFile ~\n";
    expect(target(config, "x").identityFiles).toEqual(["/home/me/x-real-2222-deploy-me-100%", "/home/me"]);
  });

  it("expands %l %L %i from this machine and keeps an unknown token as written", () => {
    const [long, short] = [os.hostname(), os.hostname().split(".")[0]];
    expect(target("Host x\n  IdentityFile /k/%l/%L/%i/%z\n", "x").identityFiles).toEqual([`/k/${long}/${short}/${process.getuid!()}/%z`]);
  });

  it("names the local user", () => {
    expect(localUserName()).toBe(os.userInfo().username);
  });

  it("reads GlobalKnownHostsFile and HashKnownHosts", () => {
    const t = target("Host x\n  GlobalKnownHostsFile /etc/a /etc/b\n  HashKnownHosts yes\n", "x");
    expect([t.globalKnownHostsFiles, t.hashKnownHosts]).toEqual([["/etc/a", "/etc/b"], true]);
    expect(target("Host x\n  HashKnownHosts no\n", "x").hashKnownHosts).toBe(false);
  });

  it("reads a quoted known_hosts path with a space as one file, as OpenSSH does", () => {
    const t = target('Host x\n  UserKnownHostsFile "~/my keys/known_hosts" /etc/b\n', "x");
    expect(t.userKnownHostsFiles).toEqual(["/home/me/my keys/known_hosts", "/etc/b"]);
  });

  it("`none` among known_hosts files means none at all", () => {
    expect(target("Host x\n  UserKnownHostsFile ~/.ssh/k none\n", "x").userKnownHostsFiles).toEqual([]);
  });

  it("takes IdentityAgent as a path, SSH_AUTH_SOCK as the default and $VAR from the environment", () => {
    expect(target("Host x\n  IdentityAgent ~/agent.sock\n", "x").identityAgent).toBe("/home/me/agent.sock");
    expect(target("Host x\n  IdentityAgent NONE\n", "x").identityAgent).toBe("none");
    expect(target("Host x\n  IdentityAgent SSH_AUTH_SOCK\n", "x").identityAgent).toBeUndefined();
    process.env["FAP_TEST_AGENT_SOCK"] = "/run/agent";
    try {
      expect(target("Host x\n  IdentityAgent $FAP_TEST_AGENT_SOCK\n", "x").identityAgent).toBe("/run/agent");
    } finally {
      delete process.env["FAP_TEST_AGENT_SOCK"];
    }
    expect(target("Host x\n  IdentityAgent $FAP_TEST_NO_SUCH_VAR\n", "x").identityAgent).toBe("none");
  });

  it.each([
    ["yes", "yes"],
    ["Ask", "ask"],
    ["accept-new", "accept-new"],
    ["off", "no"],
    ["maybe", undefined],
  ])("StrictHostKeyChecking %s", (value, expected) => {
    expect(target(`Host x\n  StrictHostKeyChecking ${value}\n`, "x").strictHostKeyChecking).toBe(expected);
  });
});

let home: string;
const write = (name: string, text: string) => writeFile(path.join(home, ".ssh", name), text);
const resolveFile = async (config: string, host = "x") => {
  await write("config", config);
  return resolveSshTarget({ host }, await loadSshConfig(path.join(home, ".ssh", "config"), home), { home, localUser: "me" });
};

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), "fap-ssh-config-mutants-"));
  await mkdir(path.join(home, ".ssh", "many.d"), { recursive: true });
  // Written in an order other than sorted: the directory lists them in its own order.
  for (const n of [7, 3, 9, 0, 5, 1, 8, 2, 6, 4]) await write(`many.d/0${n}`, `Host x\n  Port 100${n}\n`);
  await write("leak.conf", "Host *\n  Port 4004\n");
  // Names that sort before the ones the set tests below should pick.
  await mkdir(path.join(home, ".ssh", "odd.d"));
  for (const [name, port] of [["Ab", 2000], ["]a", 2001], ["^b", 2002], ["[]c", 2003], ["*e", 2006], ["!e", 2007], ["!d", 2004], ["xd", 2005]] as const) {
    await write(`odd.d/${name}`, `Port ${port}\n`);
  }
  // ~/.ssh/config's Include is the first level, chain1's the second...
  for (let n = 1; n <= 14; n++) await write(`chain${n}`, `Include chain${n + 1}\n`);
  await write("chain16", "Include chain-end\n");
  await write("chain-end", "Port 1515\n");
  await symlink("loop", path.join(home, ".ssh", "loop"));
});

afterAll(() => rm(home, { recursive: true, force: true }));

describe("Include edges", () => {
  it("reads the files of a glob in sorted order", async () => {
    expect((await resolveFile("Include many.d/*\n")).port).toBe(1000);
  });

  // [pattern, the Port of the first file it takes] (1234: no file, the line after the Include).
  it.each([
    ["many.d/0[!0]", 1001],
    ["many.d/*3", 1003],
    ["many.d/?3", 1003],
    ["many.d/0?", 1000],
    ["many.d/0[1-2]", 1001],
    ["leak.con?", 4004],
    // An unclosed [ is a plain character.
    ["many.d/0[", 1234],
    // As in glob(3): a set's first character is a member, even `]`; `^` is itself...
    ["odd.d/[]]a", 2001],
    ["odd.d/[^]b", 2002],
    ["odd.d/[!]]d", 2004],
    ["odd.d/[x!]d", 2004],
    // ...`[!]` has no member before its `]`, so its `[` is plain...
    ["odd.d/[!]d", 1234],
    // ...and a backslash quotes the next character: a quoted `]` closes no set, a quoted `*` is a star.
    ["odd.d/[\\]c", 2003],
    ["odd.d/\\*e", 2006],
    // ...but a backslash before a `/` quotes no character of its part (and glob(3) takes no file).
    ["odd.d?\\/*", 1234],
  ])("Include %s takes the files that glob(3) matches", async (pattern, port) => {
    expect((await resolveFile(`Include ${pattern}\nPort 1234\n`)).port).toBe(port);
  });

  it("skips a glob under a folder that does not exist, and a folder named as a file", async () => {
    expect((await resolveFile("Include nothere.d/* many.d\nPort 1234\n")).port).toBe(1234);
  });

  it("is an error when an included file cannot be read", async () => {
    await expect(resolveFile("Include loop\n")).rejects.toThrow(/cannot read ssh config .*loop \(included from ~\/\.ssh\/config\)/);
    await expect(resolveFile("Include loop\n")).rejects.toMatchObject({ code: "E_CONFIG", cause: expect.objectContaining({ code: "ELOOP" }) });
  });

  it("is not a keyword that merely contains Include", async () => {
    expect((await resolveFile("XInclude leak.conf\nIncludeX leak.conf\n")).port).toBe(22);
  });

  it("follows Includes 16 deep and refuses a 17th, with a hint", async () => {
    await write("chain15", "Include chain-end\n");
    expect((await resolveFile("Include chain1\n")).port).toBe(1515);
    await write("chain15", "Include chain16\n");
    await expect(resolveFile("Include chain1\n")).rejects.toMatchObject({
      code: "E_CONFIG",
      message: "ssh config: Include nested more than 16 deep; does a file include itself?",
      hint: "check the Include lines of ~/.ssh/config and the files they name",
    });
  });
});

describe("loadSshConfig", () => {
  it("names a config or included file that does not parse", async () => {
    await write("broken.conf", 'Host "x\n');
    await expect(resolveFile("Include broken.conf\n")).rejects.toMatchObject({
      code: "E_CONFIG",
      message: expect.stringMatching(/^cannot parse ssh config .*broken\.conf: /),
      cause: expect.any(Error),
    });
    await expect(resolveFile('Host "x\n')).rejects.toThrow(/^cannot parse ssh config .*config: /);
  });

  it("is an error when the config cannot be read (not only missing)", async () => {
    await expect(loadSshConfig(home, home)).rejects.toMatchObject({
      code: "E_CONFIG",
      message: expect.stringMatching(/^cannot read ssh config /),
      cause: expect.objectContaining({ code: "EISDIR" }),
    });
  });
});
