import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployYml, errorLines, hostTree, projectDir, runFap, startTestHosts, type TestHosts } from "../harness.js";

// SSH trust with the real binary: host keys of each type, client keys of each type, an
// encrypted key that only a real ssh-agent can use, and the messages when trust fails.

let ed: TestHosts; // ed25519 host key, known
let rsa: TestHosts; // RSA host key, not yet in known_hosts
let ecdsa: TestHosts; // ECDSA host key, known
let agent: ChildProcess | undefined;
let agentSocket: string;
/** A HOME whose ~/.ssh/config reaches ed's host through several aliases, one client key each. */
let home: string;
const cleanups: Array<() => Promise<void>> = [];

const keygen = (...args: string[]) => execFileSync("ssh-keygen", ["-q", ...args], { stdio: "ignore" });

beforeAll(async () => {
  [ed, rsa, ecdsa] = await Promise.all([
    startTestHosts({ count: 1 }),
    startTestHosts({ count: 1, hostKeyType: "rsa", knownHosts: false }),
    startTestHosts({ count: 1, hostKeyType: "ecdsa" }),
  ]);
  const keys = path.join(ed.dir, "client-keys");
  mkdirSync(keys);
  // Client keys the hosts accept: they read ed.dir/authorized_keys on every login.
  keygen("-t", "rsa", "-b", "3072", "-N", "", "-f", path.join(keys, "id_rsa"));
  keygen("-t", "ecdsa", "-N", "", "-f", path.join(keys, "id_ecdsa"));
  keygen("-t", "ed25519", "-N", "", "-f", path.join(keys, "agent_only"));
  keygen("-t", "ed25519", "-N", "", "-f", path.join(keys, "stranger")); // not authorized
  for (const name of ["id_rsa", "id_ecdsa", "agent_only"]) {
    appendFileSync(path.join(ed.dir, "authorized_keys"), readFileSync(path.join(keys, `${name}.pub`)));
  }

  // A real agent holding agent_only, whose file is then encrypted: only the agent can use it.
  agentSocket = path.join(ed.dir, "agent.sock");
  agent = spawn("ssh-agent", ["-D", "-a", agentSocket], { stdio: "ignore" });
  for (let i = 0; i < 200 && !existsSync(agentSocket); i++) await sleep(20);
  execFileSync("ssh-add", ["-q", path.join(keys, "agent_only")], { env: { ...process.env, SSH_AUTH_SOCK: agentSocket }, stdio: "ignore" });
  keygen("-p", "-P", "", "-N", "only the agent knows", "-f", path.join(keys, "agent_only"));

  home = path.join(ed.dir, "home-keys");
  mkdirSync(path.join(home, ".ssh"), { recursive: true });
  const host = ed.hosts[0]!;
  const alias = (name: string, key: string) =>
    [
      `Host ${name}`,
      "  HostName 127.0.0.1",
      `  Port ${host.port}`,
      `  User ${host.user}`,
      `  IdentityFile ${path.join(keys, key)}`,
      "  IdentitiesOnly yes",
      `  UserKnownHostsFile ${ed.knownHostsPath}`,
      "",
    ].join("\n");
  writeFileSync(
    path.join(home, ".ssh", "config"),
    [alias("viarsa", "id_rsa"), alias("viaecdsa", "id_ecdsa"), alias("viaagent", "agent_only"), alias("wrongkey", "stranger")].join("\n"),
  );
});

afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
  agent?.kill();
  await Promise.all([ed?.stop(), rsa?.stop(), ecdsa?.stop()]);
});

async function project(app: string, host = "host1"): Promise<string> {
  const p = await projectDir({ "deploy.yml": deployYml(app, host) });
  cleanups.push(p.cleanup);
  return p.dir;
}

const deploy = (hosts: TestHosts, dir: string, args: string[] = [], env: Record<string, string> = {}) =>
  runFap(hosts, dir, ["run", "deploy", "-s", "production", ...args], env);

describe("host keys", () => {
  it("deploys to hosts with ed25519 and ECDSA host keys from known_hosts", async () => {
    const [a, b] = await Promise.all([deploy(ed, await project("edhost")), deploy(ecdsa, await project("ecdsahost"))]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect((await hostTree(ed, 0, "/srv/www/edhost")).current).toMatch(/^releases\//);
    expect((await hostTree(ecdsa, 0, "/srv/www/ecdsahost")).current).toMatch(/^releases\//);
  });

  it("refuses an unknown RSA host key with its fingerprint; --accept-new-host-keys stores it for the next runs", async () => {
    const host = rsa.hosts[0]!;
    const dir = await project("rsahost");
    const refused = await deploy(rsa, dir);
    expect(refused.code).toBe(1);
    expect(errorLines(refused)).toHaveLength(1);
    expect(refused.stderr).toContain(`host key for [127.0.0.1]:${host.port} is not known (RSA ${host.fingerprint})`);
    expect(readFileSync(rsa.knownHostsPath, "utf8")).toBe("");
    expect(existsSync(host.local("/srv/www/rsahost"))).toBe(false);

    const accepted = await deploy(rsa, dir, ["--accept-new-host-keys"]);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(readFileSync(rsa.knownHostsPath, "utf8")).toBe(`${host.hostKeyLine}\n`);
    const again = await deploy(rsa, dir);
    expect(again.code, again.stderr).toBe(0);
    expect((await hostTree(rsa, 0, "/srv/www/rsahost")).releases).toHaveLength(2);
  });

  it("refuses a changed host key loudly and leaves known_hosts alone, even with --accept-new-host-keys", async () => {
    const host = ed.hosts[0]!;
    const before = readFileSync(ed.knownHostsPath, "utf8");
    const impostor = path.join(ed.dir, "impostor");
    keygen("-t", "ed25519", "-N", "", "-f", impostor);
    const stored = `[127.0.0.1]:${host.port} ${readFileSync(`${impostor}.pub`, "utf8").split(" ").slice(0, 2).join(" ")}\n`;
    writeFileSync(ed.knownHostsPath, stored);
    try {
      const dir = await project("changed");
      for (const args of [[], ["--accept-new-host-keys"]]) {
        const run = await deploy(ed, dir, args);
        expect(run.code).toBe(1);
        expect(errorLines(run)).toHaveLength(1);
        expect(run.stderr).toContain(`HOST KEY FOR [127.0.0.1]:${host.port} HAS CHANGED (now ED25519 ${host.fingerprint})`);
        expect(run.stderr).toMatch(/man-in-the-middle/);
        expect(run.stderr).toContain(`ssh-keygen -R '[127.0.0.1]:${host.port}'`);
        expect(readFileSync(ed.knownHostsPath, "utf8")).toBe(stored);
      }
      expect(existsSync(host.local("/srv/www/changed"))).toBe(false);
    } finally {
      writeFileSync(ed.knownHostsPath, before);
    }
  });
});

describe("client keys", () => {
  it("logs in with an RSA key and with an ECDSA key named by IdentityFile", async () => {
    const [a, b] = await Promise.all([
      deploy(ed, await project("rsaclient", "viarsa"), [], { HOME: home }),
      deploy(ed, await project("ecdsaclient", "viaecdsa"), [], { HOME: home }),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect((await hostTree(ed, 0, "/srv/www/rsaclient")).current).toMatch(/^releases\//);
    expect((await hostTree(ed, 0, "/srv/www/ecdsaclient")).current).toMatch(/^releases\//);
  });

  it("uses an encrypted key through ssh-agent, and says to add it to the agent when there is none", async () => {
    const dir = await project("agentclient", "viaagent");
    const viaAgent = await deploy(ed, dir, [], { HOME: home, SSH_AUTH_SOCK: agentSocket });
    expect(viaAgent.code, viaAgent.stderr).toBe(0);
    expect((await hostTree(ed, 0, "/srv/www/agentclient")).releases).toHaveLength(1);

    const noAgent = await deploy(ed, dir, [], { HOME: home, SSH_AUTH_SOCK: "" });
    expect(noAgent.code).toBe(1);
    expect(errorLines(noAgent)).toHaveLength(1);
    expect(noAgent.stderr).toContain(`permission denied (publickey) as ${ed.hosts[0]!.user}@127.0.0.1:${ed.hosts[0]!.port}`);
    expect(noAgent.stderr).toContain(`skipped encrypted ${path.join(ed.dir, "client-keys", "agent_only")} (add it to ssh-agent`);
    expect((await hostTree(ed, 0, "/srv/www/agentclient")).releases).toHaveLength(1);
  });

  it("a key the host does not accept: one line naming user@host:port and the key tried, exit 1", async () => {
    const run = await deploy(ed, await project("wrong", "wrongkey"), [], { HOME: home });
    expect(run.code).toBe(1);
    const lines = run.stderr.split("\n").filter(Boolean);
    expect(errorLines(run)).toHaveLength(1);
    expect(lines.every((line) => /^(error|hint): /.test(line)), run.stderr).toBe(true);
    const host = ed.hosts[0]!;
    expect(errorLines(run)[0]).toContain(
      `wrongkey: permission denied (publickey) as ${host.user}@127.0.0.1:${host.port}; tried ${path.join(ed.dir, "client-keys", "stranger")}`,
    );
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(host.local("/srv/www/wrong"))).toBe(false);
  });
});
