import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatFapError } from "@fap/core";
import { useSshd } from "./_sshd.js";
import type { SshRemote } from "../src/remote.js";
import { rejection } from "../../../test/thrown.js";
import { listen } from "./_tcp.js";

// How openClient reports what went wrong while connecting, and how the client authenticated.
const sshd = useSshd(1);
const { connector } = sshd;

const direct = () => `root@127.0.0.1:${sshd.t.hosts[0]!.port}`;

describe("openClient", () => {
  it("writes an IPv6 address in brackets", async () => {
    const silent = await listen(() => {}, "::1");
    try {
      const error = await rejection(connector({ readyTimeoutMs: 200 }).connect({ host: `root@[::1]:${silent.port}` }));
      expect(formatFapError(error)).toBe(`root@[::1]:${silent.port}: cannot connect to root@[::1]:${silent.port}: no SSH handshake within 200 ms`);
      expect(error.details).toEqual({ address: `root@[::1]:${silent.port}` });
      expect(error.hint).toBeUndefined();
    } finally {
      await silent.close();
    }
  });

  it("says how to check sshd when the connection is refused", async () => {
    const error = await rejection(connector().connect({ host: "root@127.0.0.1:1" }));
    expect(error.hint).toBe("is sshd running on 127.0.0.1 port 1? (HostName/Port come from ~/.ssh/config when set there)");
    expect(error.details).toEqual({ address: "root@127.0.0.1:1" });
    expect(error.cause).toMatchObject({ code: "ECONNREFUSED" });
  });

  it("says how to fix a host name that does not resolve", async () => {
    const error = await rejection(connector().connect({ host: "root@nonexistent.invalid" }));
    expect(error.hint).toBe("check the host name, or add a Host entry with HostName to ~/.ssh/config");
  });

  it("names the open-file limit when no socket can be opened", async () => {
    // Everything read before the socket (ssh config, key and known_hosts files) read once already.
    await connector().connect({ host: direct() });
    const c = connector();
    await c.resolve({ host: direct() });
    const soft = /^Max open files\s+(\d+)/m.exec(readFileSync("/proc/self/limits", "utf8"))![1]!;
    // Spawned before: once the limit is down, spawning needs file descriptors this process lacks.
    const restorer = spawn("sh", [], { stdio: ["pipe", "ignore", "ignore"] });
    const restored = new Promise((resolve) => restorer.on("exit", resolve));
    // This process may open no more files for a moment: the socket is refused.
    execFileSync("prlimit", ["--pid", String(process.pid), "--nofile=0:"]);
    const error = await rejection(c.connect({ host: direct() })).finally(() => {
      restorer.stdin.end(`prlimit --pid ${process.pid} --nofile=${soft}:\n`);
      return restored;
    });
    expect(formatFapError(error)).toBe(`${direct()}: cannot connect to ${direct()}: too many open files`);
    expect(error.hint).toMatch(/^fap keeps a connection per host and closes idle ones only below the open-file limit: raise it/);
  });

  it("says so when it cannot store a new host key", async () => {
    // A known_hosts in a directory that is a dangling link: reading finds no file, storing fails.
    const link = path.join(sshd.t.dir, "gone");
    await symlink(path.join(sshd.t.dir, "missing", "dir"), link);
    const error = await rejection(connector({ knownHostsPath: path.join(link, "known_hosts"), acceptNewHostKeys: true }).connect({ host: direct() }));
    expect(error.code).toBe("E_CONFIG");
    expect(formatFapError(error)).toBe(`${direct()}: cannot store the host key in ${link}/known_hosts: ENOENT: no such file or directory, mkdir '${link}'`);
    expect(error.hint).toContain("UserKnownHostsFile");
  });

  it("names in one line every key it tried, skipped, missed or could not read", async () => {
    const dir = path.join(sshd.t.dir, "keys-refused");
    await mkdir(path.join(dir, "folder"), { recursive: true });
    const file = (name: string) => path.join(dir, name);
    for (const [name, passphrase] of [["stranger1", ""], ["stranger2", ""], ["locked1", "secret"], ["locked2", "secret"]]) {
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", passphrase!, "-f", file(name!)]);
    }
    await writeFile(file("garbage"), "not a key at all\n");
    const host = sshd.t.hosts[0]!;
    const config = path.join(dir, "config");
    const identities = ["stranger1", "locked1", "absent1", "folder", "stranger2", "locked2", "absent2", "garbage"];
    await writeFile(config, [`Host refused`, "  HostName 127.0.0.1", `  Port ${host.port}`, "  User root", ...identities.map((name) => `  IdentityFile ${file(name)}`), `  UserKnownHostsFile ${sshd.t.knownHostsPath}`, ""].join("\n"));
    const error = await rejection(connector({ sshConfigPath: config }).connect({ host: "refused" }));
    expect(error.code).toBe("E_SSH_AUTH");
    expect(formatFapError(error)).toBe(
      `refused: permission denied (publickey) as root@127.0.0.1:${host.port}; tried ${file("stranger1")}, ${file("stranger2")}; ` +
        `skipped encrypted ${file("locked1")}, ${file("locked2")} (add it to ssh-agent: ssh-add FILE); missing ${file("absent1")}, ${file("absent2")}; ` +
        `unreadable ${file("folder")} (EISDIR), ${file("garbage")} (Unsupported key format)`,
    );
    expect(error.details).toEqual({ address: `root@127.0.0.1:${host.port}` });
  });

  it("goes on with the key files when the agent socket refuses connections", async () => {
    // A socket file nobody listens on any more, as a stale SSH_AUTH_SOCK is.
    const socket = path.join(sshd.t.dir, "stale-agent.sock");
    execFileSync("python3", ["-c", "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", socket]);
    const remote = (await connector({ agent: socket }).connect({ host: direct() })) as SshRemote;
    expect((await remote.exec("echo past the agent")).stdout).toBe("past the agent\n");
    expect(remote.auth).toBe(`key ${sshd.t.identityFile}`);
  });
});
