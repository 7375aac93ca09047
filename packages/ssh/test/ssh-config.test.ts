import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import SSHConfig from "ssh-config";
import type { HostAddress } from "@fap/core/internal";
import { loadSshConfig, resolveSshTarget } from "../src/ssh-config.js";

const local = { home: "/home/me", localUser: "me" };

const config = SSHConfig.parse(`
Host web1
  HostName 10.0.0.1
  User deploy
  Port 2222
  IdentityFile ~/.ssh/deploy_key
  IdentityFile %d/.ssh/%r@%h
  IdentitiesOnly yes

Host *.prod
  User produser
  UserKnownHostsFile ~/.ssh/known_hosts_prod /etc/ssh/other_known
  StrictHostKeyChecking accept-new
  HostKeyAlias prodalias

Host lower
  hostname lower.example.com
  port 2200
  stricthostkeychecking no

Host templ
  HostName %h.example.com

Host jumped
  ProxyJump bastion,deploy@gw:2022

Host nokh
  UserKnownHostsFile none
  IdentityAgent none

Host *
  ServerAliveInterval 30
`);

const resolve = (address: HostAddress) => resolveSshTarget(address, config, local);

describe("resolveSshTarget precedence", () => {
  it.each<[string, HostAddress, { hostname: string; user: string; port: number }]>([
    ["config only", { host: "web1" }, { hostname: "10.0.0.1", user: "deploy", port: 2222 }],
    ["address keys beat config", { host: "web1", user: "alice", port: 22 }, { hostname: "10.0.0.1", user: "alice", port: 22 }],
    ["host string beats address keys", { host: "bob@web1:2022", user: "alice", port: 22 }, { hostname: "10.0.0.1", user: "bob", port: 2022 }],
    ["user@ alone", { host: "bob@web1" }, { hostname: "10.0.0.1", user: "bob", port: 2222 }],
    [":port alone", { host: "web1:2022" }, { hostname: "10.0.0.1", user: "deploy", port: 2022 }],
    ["not in config: local defaults", { host: "other.example.com" }, { hostname: "other.example.com", user: "me", port: 22 }],
    ["wildcard Host", { host: "db.prod" }, { hostname: "db.prod", user: "produser", port: 22 }],
    ["lowercase keywords", { host: "lower" }, { hostname: "lower.example.com", user: "me", port: 2200 }],
    ["%h in HostName", { host: "templ" }, { hostname: "templ.example.com", user: "me", port: 22 }],
    ["IPv6 literal", { host: "root@[::1]:2222" }, { hostname: "::1", user: "root", port: 2222 }],
  ])("%s", (_name, address, expected) => {
    const target = resolve(address);
    expect({ hostname: target.hostname, user: target.user, port: target.port }).toEqual(expected);
    expect(target.label).toBe(address.host);
  });

  it("without a config file uses the local user and port 22", () => {
    const target = resolveSshTarget({ host: "web1" }, undefined, local);
    expect(target).toMatchObject({ hostname: "web1", user: "me", port: 22, identityFilesFromConfig: false });
  });
});

describe("resolveSshTarget options", () => {
  it("expands ~ and tokens in IdentityFile, in order, with the effective user", () => {
    const target = resolve({ host: "bob@web1" });
    expect(target.identityFiles).toEqual(["/home/me/.ssh/deploy_key", "/home/me/.ssh/bob@10.0.0.1"]);
    expect(target.identityFilesFromConfig).toBe(true);
    expect(target.identitiesOnly).toBe(true);
  });

  it("defaults to the usual key files under home", () => {
    const target = resolve({ host: "other" });
    expect(target.identityFiles).toEqual(["/home/me/.ssh/id_ed25519", "/home/me/.ssh/id_ecdsa", "/home/me/.ssh/id_rsa"]);
    expect(target.identitiesOnly).toBe(false);
  });

  it("reads known_hosts settings", () => {
    expect(resolve({ host: "db.prod" })).toMatchObject({
      userKnownHostsFiles: ["/home/me/.ssh/known_hosts_prod", "/etc/ssh/other_known"],
      strictHostKeyChecking: "accept-new",
      hostKeyAlias: "prodalias",
    });
    expect(resolve({ host: "lower" }).strictHostKeyChecking).toBe("no");
    expect(resolve({ host: "web1" })).toMatchObject({ userKnownHostsFiles: undefined, strictHostKeyChecking: undefined });
    expect(resolve({ host: "nokh" })).toMatchObject({ userKnownHostsFiles: [], identityAgent: "none" });
  });

  it("keeps ProxyJump as written", () => {
    expect(resolve({ host: "jumped" }).proxyJump).toBe("bastion,deploy@gw:2022");
    expect(resolve({ host: "web1" }).proxyJump).toBeUndefined();
  });

  it("rejects a bad port in the config", () => {
    const bad = SSHConfig.parse("Host x\n  Port nope\n");
    expect(() => resolveSshTarget({ host: "x" }, bad, local)).toThrow(/not a port/);
  });
});

describe("loadSshConfig", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "fap-ssh-config-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("treats a missing file as no config", async () => {
    expect(await loadSshConfig(path.join(dir, "missing"))).toBeUndefined();
  });

  it("parses a file", async () => {
    const file = path.join(dir, "config");
    await writeFile(file, "Host a\n  HostName b\n");
    const parsed = await loadSshConfig(file);
    expect(resolveSshTarget({ host: "a" }, parsed, local).hostname).toBe("b");
  });
});
