import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatFapError } from "@fap/core";
import { SshConnector, type SshConnectorOptions } from "../src/index.js";
import { useSshd } from "./_sshd.js";
import { relay } from "./_tcp.js";
import { rejection } from "../../../test/thrown.js";

// What SshConnector does with ~/.ssh/config and its options before and while it connects:
// ProxyCommand, ProxyJump chains and loops, which known_hosts files it reads and writes.
const sshd = useSshd(3);

/** A connector reading `config` (ssh_config lines) after the test hosts' own blocks. */
async function withConfig(name: string, lines: string[], options: SshConnectorOptions = {}): Promise<SshConnector> {
  const file = path.join(sshd.t.dir, `config-${name}`);
  await writeFile(file, `${await readFile(sshd.t.sshConfigPath, "utf8")}\n${lines.join("\n")}\n`);
  const c = sshd.connector({ sshConfigPath: file, ...options });
  return c;
}

/** `Host NAME` blocks on closed ports 1, 2, ...: each its own address, none reachable. */
function chain(names: string[], jumpOf: (index: number) => string | undefined): string[] {
  return names.flatMap((name, i) => {
    const jump = jumpOf(i);
    return [`Host ${name}`, "  HostName 127.0.0.1", `  Port ${i + 1}`, "  User root", ...(jump === undefined ? [] : [`  ProxyJump ${jump}`]), ""];
  });
}

describe("ProxyCommand", () => {
  it("is refused, naming the command and what to use instead", async () => {
    const c = await withConfig("proxycommand", ["Host viacommand", "  HostName 127.0.0.1", "  ProxyCommand nc %h %p", ""]);
    const error = await rejection(c.connect({ host: "viacommand" }));
    expect(error.code).toBe("E_CONFIG");
    expect(formatFapError(error)).toBe("viacommand: ~/.ssh/config sets ProxyCommand (nc %h %p), which fap does not support");
    expect(error.hint).toBe(
      "use ProxyJump instead (ProxyCommand ssh -W %h:%p HOST is ProxyJump HOST), or set ProxyCommand none for this host in a Host block above",
    );
  });
});

describe("ProxyJump", () => {
  it("names every hop of a loop, from the host asked for", async () => {
    const names = ["loopa", "loopb", "loopc"];
    const c = await withConfig("loop", chain(names, (i) => names[(i + 1) % names.length]));
    const error = await rejection(c.connect({ host: "loopa" }));
    expect(error.code).toBe("E_CONFIG");
    expect(formatFapError(error)).toBe("loopa: ProxyJump loop in ~/.ssh/config: loopa → loopb → loopc → loopa");
    expect(error.hint).toBe("a host cannot jump through itself; give the last hop a ProxyJump to a different host, or none");
  });

  it("refuses a loop whose hosts are connected at once, instead of each waiting for the other", async () => {
    const names = ["pairx", "pairy"];
    const c = await withConfig("pair", chain(names, (i) => names[(i + 1) % names.length]));
    const errors = await Promise.all(names.map((host) => rejection(c.connect({ host }))));
    expect(errors.map((error) => formatFapError(error))).toEqual([
      "pairx: ProxyJump loop in ~/.ssh/config: pairx → pairy → pairx",
      "pairy: ProxyJump loop in ~/.ssh/config: pairy → pairx → pairy",
    ]);
  });

  it("names a loop further along the chain, and a loop of 8 hosts", async () => {
    const c = await withConfig("further", [...chain(["lead", "loopx", "loopy"], (i) => ["loopx", "loopy", "loopx"][i]), ...chain(Array.from({ length: 8 }, (_, i) => `octo${i}`), (i) => `octo${(i + 1) % 8}`)]);
    expect(formatFapError(await rejection(c.connect({ host: "lead" })))).toBe("lead: ProxyJump loop in ~/.ssh/config: lead → loopx → loopy → loopx");
    const octo = Array.from({ length: 8 }, (_, i) => `octo${i}`);
    expect(formatFapError(await rejection(c.connect({ host: "octo0" })))).toBe(`octo0: ProxyJump loop in ~/.ssh/config: ${[...octo, "octo0"].join(" → ")}`);
  });

  it("refuses a host jumping through itself, also as the last of a list", async () => {
    const c = await withConfig("self", chain(["selfish"], () => "host1,selfish"));
    const error = await rejection(c.connect({ host: "selfish" }));
    expect(formatFapError(error)).toBe("selfish: ProxyJump loop in ~/.ssh/config: selfish → selfish");
  });

  it("follows 8 hops, but not 9", async () => {
    const names = Array.from({ length: 10 }, (_, i) => `hop${i}`);
    // hop0 → hop1 → ... → hop8 (8 jumps; hop8 on a closed port), and hop9 jumping to hop0 (9 jumps).
    const c = await withConfig("hops", chain(names, (i) => (i < 8 ? names[i + 1] : i === 9 ? "hop0" : undefined)));
    const eight = await rejection(c.connect({ host: "hop0" }));
    expect(formatFapError(eight)).toBe("hop8: cannot connect to root@127.0.0.1:9: connection refused");
    const nine = await rejection(c.connect({ host: "hop9" }));
    expect(nine.code).toBe("E_SSH_CONNECT");
    expect(formatFapError(nine)).toBe("hop7: more than 8 ProxyJump hops; is there a loop in ~/.ssh/config?");
  });

  it("says it is too long, not a loop, for a loop of more than 8 hosts", async () => {
    const names = Array.from({ length: 10 }, (_, i) => `ring${i}`);
    const c = await withConfig("ring", chain(names, (i) => names[(i + 1) % names.length]));
    const error = await rejection(c.connect({ host: "ring0" }));
    expect(formatFapError(error)).toBe("ring8: more than 8 ProxyJump hops; is there a loop in ~/.ssh/config?");
  });

  it("jumps through a list of hosts, the last one reached through the others, ssh:// allowed", async () => {
    const target = sshd.t.hosts[2]!;
    const c = await withConfig("list", [
      "Host twohops",
      "  HostName 127.0.0.1",
      `  Port ${target.port}`,
      "  User root",
      `  IdentityFile ${sshd.t.identityFile}`,
      `  UserKnownHostsFile ${sshd.t.knownHostsPath}`,
      "  ProxyJump ssh://host1,ssh://host2",
      "",
    ]);
    const r = await c.connect({ host: "twohops" });
    expect((await r.exec("echo through two")).stdout).toBe("through two\n");
  });

  it("sends the target's traffic through each jump host of a list: it stops when the first goes silent", async () => {
    const [jump, target] = [sshd.t.hosts[0]!, sshd.t.hosts[1]!];
    const front = await relay(jump.port);
    try {
      const known = path.join(sshd.t.dir, `known_hosts_jump_${front.port}`);
      const [, type, key] = jump.hostKeyLine.split(" ");
      await writeFile(known, `[127.0.0.1]:${front.port} ${type} ${key}\n`);
      const common = ["  HostName 127.0.0.1", "  User root", `  IdentityFile ${sshd.t.identityFile}`];
      const c = await withConfig(
        "jump-front",
        ["Host jumpfront", ...common, `  Port ${front.port}`, `  UserKnownHostsFile ${known}`, "", "Host behindfront", ...common, `  Port ${target.port}`, `  UserKnownHostsFile ${sshd.t.knownHostsPath}`, "  ProxyJump jumpfront,host3,host1", ""],
        { keepaliveIntervalMs: 200 },
      );
      const r = await c.connect({ host: "behindfront" });
      expect((await r.exec("echo through")).stdout).toBe("through\n");
      front.freeze();
      expect((await rejection(r.exec("sleep 5"))).code).toBe("E_CONNECTION_LOST");
    } finally {
      await front.close();
    }
  });

  it("says which hop could not reach the target", async () => {
    const c = await withConfig("unreachable", ["Host behindclosed", "  HostName 127.0.0.1", "  Port 1", "  User root", "  ProxyJump host1", ""]);
    const error = await rejection(c.connect({ host: "behindclosed" }));
    expect(error.code).toBe("E_SSH_CONNECT");
    expect(formatFapError(error)).toMatch(/^behindclosed: cannot reach root@127\.0\.0\.1:1 through host1: /);
    expect(error.hint).toBe("the jump host must allow TCP forwarding (AllowTcpForwarding) and reach that address");
  });
});

describe("known_hosts", () => {
  const host = () => sshd.t.hosts[0]!;
  const direct = () => `root@127.0.0.1:${host().port}`;

  /** A home whose ~/.ssh holds only the test key: no config, no known_hosts. */
  async function bareHome(name: string): Promise<string> {
    const home = path.join(sshd.t.dir, name);
    await rm(home, { recursive: true, force: true });
    await mkdir(path.join(home, ".ssh"), { recursive: true });
    await writeFile(path.join(home, ".ssh", "id_ed25519"), await readFile(sshd.t.identityFile), { mode: 0o600 });
    return home;
  }

  function connector(options: SshConnectorOptions): SshConnector {
    return sshd.connector(options);
  }

  it("without UserKnownHostsFile, stores a new key in ~/.ssh/known_hosts", async () => {
    const home = await bareHome("home-new");
    const r = await connector({ home, acceptNewHostKeys: true }).connect({ host: direct() });
    expect((await r.exec("echo stored")).stdout).toBe("stored\n");
    expect(await readFile(path.join(home, ".ssh", "known_hosts"), "utf8")).toBe(`${host().hostKeyLine}\n`);
  });

  it("without UserKnownHostsFile, also trusts ~/.ssh/known_hosts2", async () => {
    const home = await bareHome("home-two");
    await writeFile(path.join(home, ".ssh", "known_hosts2"), `${host().hostKeyLine}\n`);
    const r = await connector({ home }).connect({ host: direct() });
    expect((await r.exec("echo two")).stdout).toBe("two\n");
  });

  it("refuses an unknown key without acceptNewHostKeys, naming ~/.ssh/known_hosts", async () => {
    const home = await bareHome("home-refused");
    const error = await rejection(connector({ home }).connect({ host: direct() }));
    expect(error.code).toBe("E_HOST_KEY_UNKNOWN");
    expect(error.hint).toContain(`>> ${path.join(home, ".ssh", "known_hosts")}`);
  });

  it("with knownHostKeysOnly refuses an unknown key, even with acceptNewHostKeys", async () => {
    const home = await bareHome("home-only");
    const error = await rejection(connector({ home, acceptNewHostKeys: true, knownHostKeysOnly: true }).connect({ host: direct() }));
    expect(error.code).toBe("E_HOST_KEY_UNKNOWN");
  });

  it("guessing() refuses an unknown key though the run accepts new ones, and resolves hosts on the config the run read", async () => {
    const home = await bareHome("home-guessing");
    const config = path.join(home, ".ssh", "config");
    await writeFile(config, `Host guessed\n  HostName 127.0.0.1\n  Port ${host().port}\n  User root\n`);
    const run = connector({ home, acceptNewHostKeys: true });
    expect(await run.resolve({ host: "guessed" })).toEqual({ hostname: "127.0.0.1", port: host().port, user: "root" });
    // Read once for the run: the guesses see the same hosts, whatever the file says later.
    await writeFile(config, "Host guessed\n  HostName 127.0.0.2\n  Port 1\n");
    const guess = run.guessing(new AbortController().signal);
    expect(await guess.resolve({ host: "guessed" })).toEqual({ hostname: "127.0.0.1", port: host().port, user: "root" });
    expect((await rejection(guess.connect({ host: "guessed" }))).code).toBe("E_HOST_KEY_UNKNOWN");
    const r = await run.connect({ host: "guessed" });
    expect((await r.exec("echo run")).stdout).toBe("run\n");
  });

  it("stores a new key hashed with HashKnownHosts yes", async () => {
    const home = await bareHome("home-hashed");
    await writeFile(path.join(home, ".ssh", "config"), `Host hashed\n  HostName 127.0.0.1\n  Port ${host().port}\n  User root\n  HashKnownHosts yes\n  StrictHostKeyChecking accept-new\n`);
    const r = await connector({ home }).connect({ host: "hashed" });
    expect((await r.exec("echo hashed")).stdout).toBe("hashed\n");
    const [, type, key] = host().hostKeyLine.split(" ");
    expect(await readFile(path.join(home, ".ssh", "known_hosts"), "utf8")).toMatch(new RegExp(`^\\|1\\|[^ |]+\\|[^ ]+ ${type} ${key!.replace(/[+/]/g, "\\$&")}\\n$`));
  });

  it("accepts a new key with StrictHostKeyChecking no, and refuses it with yes", async () => {
    const home = await bareHome("home-strict");
    await writeFile(path.join(home, ".ssh", "config"), `Host lax\n  HostName 127.0.0.1\n  Port ${host().port}\n  User root\n  StrictHostKeyChecking no\n\nHost strict\n  HostName 127.0.0.1\n  Port ${host().port}\n  User root\n  StrictHostKeyChecking yes\n`);
    expect((await rejection(connector({ home }).connect({ host: "strict" }))).code).toBe("E_HOST_KEY_UNKNOWN");
    const r = await connector({ home }).connect({ host: "lax" });
    expect((await r.exec("echo lax")).stdout).toBe("lax\n");
  });
});
