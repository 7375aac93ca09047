import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { appendFile, copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatFapError, isFapError, type FapError } from "@fap/core";
import { startTestHosts, type TestHosts } from "@fap/testing";
import { SshConnector } from "../src/index.js";
import type { SshRemote } from "../src/remote.js";
import { rejection } from "../../../test/thrown.js";

// Authentication through a real ssh-agent, with a home that holds no key files at all.
let t: TestHosts;
let agent: ChildProcess | undefined;
let socket: string;
let emptyHome: string;
const connectors: SshConnector[] = [];

beforeAll(async () => {
  t = await startTestHosts({ count: 1 });
  socket = path.join(t.dir, "agent.sock");
  agent = spawn("ssh-agent", ["-D", "-a", socket], { stdio: "ignore" });
  for (let i = 0; i < 100 && !existsSync(socket); i++) await sleep(20);
  const env = { ...process.env, SSH_AUTH_SOCK: socket };
  // A key the hosts do not accept first, so the filter below has something to leave out.
  const stranger = path.join(t.dir, "stranger");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", stranger]);
  execFileSync("ssh-add", ["-q", stranger], { env });
  execFileSync("ssh-add", ["-q", t.identityFile], { env });

  emptyHome = path.join(t.dir, "empty-home");
  await mkdir(path.join(emptyHome, ".ssh"), { recursive: true });
  // The same key as the agent's, but encrypted: only the agent can use it.
  const locked = path.join(t.dir, "locked");
  await copyFile(t.identityFile, locked);
  await copyFile(`${t.identityFile}.pub`, `${locked}.pub`);
  execFileSync("ssh-keygen", ["-q", "-p", "-P", "", "-N", "secret", "-f", locked]);
  const other = path.join(t.dir, "other-locked");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "secret", "-f", other]);
  // A key the hosts accept, but without agent forwarding (authorized_keys option).
  const noForward = path.join(t.dir, "no-forward");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", noForward]);
  await appendFile(path.join(t.dir, "authorized_keys"), `no-agent-forwarding ${await readFile(`${noForward}.pub`, "utf8")}`);
  const host = t.hosts[0]!;
  // One ssh_config block for the test host; with `identities`, those keys only (IdentitiesOnly).
  const block = (name: string, ...identities: string[]) => [
    `Host ${name}`,
    "  HostName 127.0.0.1",
    `  Port ${host.port}`,
    `  User ${host.user}`,
    ...identities.map((identity) => `  IdentityFile ${identity}`),
    ...(identities.length === 0 ? [] : ["  IdentitiesOnly yes"]),
    `  UserKnownHostsFile ${t.knownHostsPath}`,
    "",
  ];
  await writeFile(
    path.join(emptyHome, ".ssh", "config"),
    [
      ...block("viaagent"),
      ...block("onlylocked", locked),
      ...block("onlyother", other),
      ...block("onlystranger", stranger),
      ...block("eitherlocked", other, locked),
      ...block("noforward", noForward),
    ].join("\n"),
  );
});

afterAll(async () => {
  await Promise.all(connectors.map((c) => c.close()));
  agent?.kill();
  await t?.stop();
});

function connector(agentSocket: string): SshConnector {
  const c = new SshConnector({ home: emptyHome, agent: agentSocket });
  connectors.push(c);
  return c;
}

describe("ssh-agent", () => {
  it("authenticates with the agent's keys", async () => {
    const remote = await connector(socket).connect({ host: "viaagent" });
    expect((await remote.exec("echo agent")).stdout).toBe("agent\n");
  });

  it("with IdentitiesOnly offers only the agent key matching the (encrypted) IdentityFile", async () => {
    const remote = await connector(socket).connect({ host: "onlylocked" });
    expect((await remote.exec("echo filtered")).stdout).toBe("filtered\n");
  });

  it("with IdentitiesOnly offers the agent keys matching any of several IdentityFiles", async () => {
    const remote = (await connector(socket).connect({ host: "eitherlocked" })) as SshRemote;
    expect((await remote.exec("echo either")).stdout).toBe("either\n");
    expect(remote.auth).toBe(`ssh-agent ${socket}`);
  });

  it("says the host refuses to forward the agent, when its key forbids that", async () => {
    const remote = await connector(socket).connect({ host: "noforward" });
    // With another channel open, the refusal is still no MaxSessions limit: it fails at once,
    // not once that channel is done.
    const busy = remote.exec("sleep 8");
    const refused = rejection(remote.exec("echo $SSH_AUTH_SOCK", { forwardAgent: true }));
    expect(await Promise.race([refused.then(() => "refused"), busy.then(() => "busy ended")])).toBe("refused");
    const error = await refused;
    expect(error.code).toBe("E_SSH_CONNECT");
    expect(formatFapError(error)).toBe("noforward: the host refuses to forward the ssh-agent (forward_agent)");
    expect(error.details).toEqual({ command: "echo $SSH_AUTH_SOCK" });
    await busy;
  });

  it("with IdentitiesOnly does not fall back to other agent keys", async () => {
    let error: FapError | undefined;
    try {
      await connector(socket).connect({ host: "onlyother" });
    } catch (e) {
      if (isFapError(e)) error = e;
    }
    // The agent holds the key the host accepts, but the config allows only other-locked.
    expect(error?.code).toBe("E_SSH_AUTH");
    expect(error?.message).toContain(`tried ssh-agent ${socket} (0 keys, IdentitiesOnly)`);
  });

  it("without an agent, an encrypted key is skipped and named in the message", async () => {
    let error: FapError | undefined;
    try {
      await connector("none").connect({ host: "onlylocked" });
    } catch (e) {
      if (isFapError(e)) error = e;
    }
    expect(error?.code).toBe("E_SSH_AUTH");
    expect(formatFapError(error!)).toMatch(/^onlylocked: permission denied \(publickey\) as /);
    expect(error?.message).toContain(`skipped encrypted ${path.join(t.dir, "locked")}`);
  });

  it("finds the agent through IdentityAgent in the ssh config, else through SSH_AUTH_SOCK", async () => {
    const host = t.hosts[0]!;
    const config = path.join(t.dir, "config-identity-agent");
    const block = (name: string, ...extra: string[]) => [`Host ${name}`, "  HostName 127.0.0.1", `  Port ${host.port}`, `  User ${host.user}`, ...extra, `  UserKnownHostsFile ${t.knownHostsPath}`, ""];
    await writeFile(config, [...block("byconfig", `  IdentityAgent ${socket}`), ...block("byenv")].join("\n"));
    const saved = process.env["SSH_AUTH_SOCK"];
    try {
      process.env["SSH_AUTH_SOCK"] = path.join(t.dir, "no-agent-here.sock");
      const byConfig = new SshConnector({ home: emptyHome, sshConfigPath: config });
      connectors.push(byConfig);
      expect(((await byConfig.connect({ host: "byconfig" })) as SshRemote).auth).toBe(`ssh-agent ${socket}`);
      process.env["SSH_AUTH_SOCK"] = socket;
      const byEnv = new SshConnector({ home: emptyHome, sshConfigPath: config });
      connectors.push(byEnv);
      expect(((await byEnv.connect({ host: "byenv" })) as SshRemote).auth).toBe(`ssh-agent ${socket}`);
    } finally {
      if (saved === undefined) delete process.env["SSH_AUTH_SOCK"];
      else process.env["SSH_AUTH_SOCK"] = saved;
    }
  });

  it("says it authenticated through the agent", async () => {
    const remote = (await connector(socket).connect({ host: "viaagent" })) as SshRemote;
    expect(remote.auth).toBe(`ssh-agent ${socket}`);
  });

  it("counts the agent keys it offered, in the message", async () => {
    const refused = await rejection(connector(socket).connect({ host: "nosuchuser@viaagent" }));
    expect(refused.code).toBe("E_SSH_AUTH");
    expect(refused.message).toContain(`; tried ssh-agent ${socket} (2 keys)`);
    const one = await rejection(connector(socket).connect({ host: "onlystranger" }));
    // Exactly: nothing encrypted, missing or unreadable to mention.
    expect(one.message).toBe(
      `permission denied (publickey) as ${t.hosts[0]!.user}@127.0.0.1:${t.hosts[0]!.port}; tried ssh-agent ${socket} (1 key, IdentitiesOnly), ${path.join(t.dir, "stranger")}`,
    );
  });
});
