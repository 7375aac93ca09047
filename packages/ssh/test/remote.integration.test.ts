import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { PassThrough } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { formatFapError, type Remote } from "@fap/core/internal";
import { startTestHosts, type TestHosts } from "@fap/testing";
import { SshConnector } from "../src/index.js";
import { rejection } from "../../../test/thrown.js";

// Real sshd on loopback (see @fap/testing). These measure too, and print what they measured.
let t: TestHosts;
let connector: SshConnector;
let remote: Remote;

/**
 * Connects `remote` unless an earlier test did: each test must pass on its own too (mutation
 * testing runs only the tests that reach a mutant, by name).
 */
async function connectHost1(): Promise<void> {
  remote ??= await connector.connect({ host: "host1" });
}

beforeAll(async () => {
  t = await startTestHosts({ count: 3 });
  // agent "": the developer's own ssh-agent must not take part.
  connector = new SshConnector({ home: t.home, agent: "" });
});

afterAll(async () => {
  await connector?.close();
  await t?.stop();
});

describe("connecting", () => {
  it("resolves and connects via the ssh config alias", async () => {
    const host = t.hosts[0]!;
    expect(await connector.resolve({ host: "host1" })).toEqual({ hostname: "127.0.0.1", port: host.port, user: host.user });
    const started = performance.now();
    remote = await connector.connect({ host: "host1" });
    const connectMs = performance.now() - started;
    console.log(`connect (handshake + auth, new connection): ${connectMs.toFixed(1)} ms`);
    expect(remote.host).toBe("host1");
    expect(remote.resolved).toEqual({ hostname: "127.0.0.1", port: host.port, user: host.user });
    expect((await remote.exec("echo ok")).stdout).toBe("ok\n");
  });

  it("shares one connection per host, also between concurrent connects", async () => {
    const fresh = new SshConnector({ home: t.home, agent: "" });
    try {
      const remotes = await Promise.all([
        fresh.connect({ host: "host2" }),
        fresh.connect({ host: "host2" }),
        fresh.connect({ host: `root@127.0.0.1:${t.hosts[1]!.port}` }),
      ]);
      const clientEnds = await Promise.all(remotes.map(async (r) => (await r.exec("echo $SSH_CONNECTION")).stdout));
      expect(new Set(clientEnds).size).toBe(1);
      expect(remotes[2]!.host).toBe(`root@127.0.0.1:${t.hosts[1]!.port}`);
    } finally {
      await fresh.close();
    }
  });
});

describe("exec", () => {
  beforeEach(connectHost1);

  it("runs 50 commands one after another on one connection, ~2 ms each", async () => {
    await remote.exec("true"); // warm-up
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      const result = await remote.exec(`echo ${i}`);
      times.push(performance.now() - started);
      expect(result.stdout).toBe(`${i}\n`);
    }
    const perCommand = times.reduce((a, b) => a + b, 0) / 50;
    const median = times.sort((a, b) => a - b)[25]!;
    console.log(`sequential on one connection: ${perCommand.toFixed(2)} ms per command (${(1000 / perCommand).toFixed(0)} commands/s), median ${median.toFixed(2)} ms`);
    // ~2 ms on an idle machine. The bound only catches Nagle's stall: with it, most commands
    // wait for the server's delayed ACK, at least 40 ms on Linux (medians of 49-63 ms measured
    // with Nagle on, under load and not). A loaded machine slows commands too (medians of 10-29
    // ms under a load of 30-48 without Nagle), so the bound is the delayed ACK itself, not a
    // guess at the load. Not under a mutation run (stryker.sshd.config.mjs), where two cores
    // shared by several runs make any bound flaky.
    if (process.env["STRYKER_MUTATOR_WORKER"] === undefined) expect(median).toBeLessThan(40);
  });

  it("runs 20 at once through the channel queue", async () => {
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => remote.exec(`sleep 0.2; echo ${i}`)));
    const elapsed = performance.now() - started;
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 20 }, (_, i) => `${i}\n`));
    // 8 channels at a time: three waves of 0.2 s, never all 20 at once (sshd would refuse some).
    console.log(`20 concurrent 'sleep 0.2' with 8 channels: ${elapsed.toFixed(0)} ms`);
    expect(elapsed).toBeGreaterThan(550);
    expect(elapsed).toBeLessThan(5000);
  });

  it("with the channel queue full, each of 400 commands gets back exactly the bytes it sent, and only those", async () => {
    // Each command echoes its own stdin, of its own length: a channel's data going to another
    // command's result, or a chunk lost or repeated under load, changes some command's bytes.
    const count = 400;
    const payload = (i: number) => `${i}:`.padEnd(50 + ((i * 37) % 4000), String.fromCharCode(97 + (i % 26)));
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: count }, (_, i) => remote.exec("cat", { stdin: payload(i) })));
    const seconds = (performance.now() - started) / 1000;
    console.log(`${count} 'cat' commands, 8 channels, one host: ${(count / seconds).toFixed(0)} commands/s`);
    expect(results.map((r) => r.exitCode)).toEqual(Array.from({ length: count }, () => 0));
    results.forEach((result, i) => expect(result.stdout, `command ${i}`).toBe(payload(i)));
    const sent = Array.from({ length: count }, (_, i) => Buffer.byteLength(payload(i))).reduce((a, b) => a + b, 0);
    expect(results.reduce((total, r) => total + Buffer.byteLength(r.stdout), 0)).toBe(sent);
    expect(results.filter((r) => r.stdoutBytes !== undefined)).toEqual([]); // none was cut
  });

  it("reports a non-zero exit code and a signal without rejecting", async () => {
    expect(await remote.exec("echo out; echo err >&2; exit 7")).toEqual({ stdout: "out\n", stderr: "err\n", exitCode: 7, signal: undefined });
    const killed = await remote.exec("kill -TERM $$");
    expect(killed.exitCode).toBeNull();
    expect(killed.signal).toBe("TERM");
  });

  it("streams complete stdout and stderr lines as they arrive", async () => {
    const events: Array<[string, string, number]> = [];
    const started = performance.now();
    const at = () => performance.now() - started;
    const result = await remote.exec("echo first; echo oops >&2; sleep 0.4; printf 'second\\nthird'; printf 'no newline' >&2", {
      onStdout: (line) => events.push(["out", line, at()]),
      onStderr: (line) => events.push(["err", line, at()]),
    });
    const done = at();
    expect(events.filter((e) => e[0] === "out").map((e) => e[1])).toEqual(["first", "second", "third"]);
    expect(events.filter((e) => e[0] === "err").map((e) => e[1])).toEqual(["oops", "no newline"]);
    // "first" came before the sleep ended, not all at the end.
    expect(events.find((e) => e[1] === "first")![2]).toBeLessThan(done - 300);
    expect(result.stdout).toBe("first\nsecond\nthird");
  });

  it("keeps the tail of a long output and counts all of it; keepBytes changes how much", async () => {
    // 3 MB then a last line: the result holds the last 1 MiB, ending in that line.
    const big = await remote.exec("head -c 3000000 /dev/zero | tr '\\0' x; echo; echo the end >&2; head -c 2000000 /dev/zero >&2; echo last >&2");
    expect(big.stdout).toHaveLength(1024 * 1024);
    expect(big.stdout.endsWith("x\n")).toBe(true);
    expect(big.stdoutBytes).toBe(3_000_001);
    expect(big.stderrBytes).toBe(2_000_013);
    expect(big.stderr.endsWith("\0last\n")).toBe(true);
    const small = await remote.exec("printf 'first\\nlast line\\n'", { keepBytes: 10 });
    expect(small).toMatchObject({ stdout: "last line\n", stdoutBytes: 16, exitCode: 0 });
    expect((await remote.exec("echo short")).stdoutBytes).toBeUndefined();
  });

  it("feeds stdin, and closes it when there is none", async () => {
    expect((await remote.exec("cat", { stdin: "hello\nworld\n" })).stdout).toBe("hello\nworld\n");
    const big = Buffer.alloc(3 * 1024 * 1024, 120);
    expect((await remote.exec("wc -c", { stdin: big })).stdout.trim()).toBe(String(big.length));
    // Without stdin, `cat` must see EOF at once instead of hanging.
    expect(await remote.exec("cat; echo eof", { timeoutMs: 5000 })).toMatchObject({ stdout: "eof\n", exitCode: 0 });
  });

  it("kills a command that outlives timeoutMs, and the connection stays usable", async () => {
    const started = performance.now();
    const error = await rejection(remote.exec("sleep 5.0123", { timeoutMs: 300 }));
    // Reported once the kill ran, long before the 5 s sleep or the 5 s given up on a kill.
    expect(performance.now() - started).toBeLessThan(4500);
    expect(error.code).toBe("E_COMMAND_TIMEOUT");
    expect(formatFapError(error)).toBe("host1: `sleep 5.0123` timed out after 300 ms");
    // The remote process is gone by the time the timeout is reported: a run that stops at once
    // must not leave it running on the host. ([5] keeps pgrep from matching itself.)
    expect((await t.hosts[0]!.exec("pgrep -f 'sleep [5].0123' || true")).stdout.trim()).toBe("");
    expect((await remote.exec("echo still here")).stdout).toBe("still here\n");
  });

  it("cuts a long command to 200 characters in messages", async () => {
    const long = `sleep 5; # ${"x".repeat(300)}`;
    const error = await rejection(remote.exec(long, { timeoutMs: 100 }));
    expect(error.message.length).toBeLessThan(260);
    expect(error.details["command"]).toBe(long);
  });

  it("fails the command, not the process, when a line callback throws", async () => {
    await expect(
      remote.exec("echo a; sleep 2", {
        onStdout: () => {
          throw new Error("callback broke");
        },
      }),
    ).rejects.toThrow("callback broke");
    expect((await remote.exec("echo fine")).stdout).toBe("fine\n");
  });

  it("kills the command on the host when a line callback throws, with no timeout and as root", async () => {
    // sshd refuses ssh's "signal" request for root sessions: the command must still die.
    const error = await remote
      .exec("echo a; sleep 7.0321", {
        onStdout: () => {
          throw new Error("callback broke");
        },
      })
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toBe("callback broke");
    expect((await t.hosts[0]!.exec("pgrep -f 'sleep [7].0321' || true")).stdout.trim()).toBe("");
  });

  it("keeps stderr of a command without a timeout exactly as written", async () => {
    expect((await remote.exec("echo one >&2; printf two >&2")).stderr).toBe("one\ntwo");
  });

  it("keeps stderr of a command with a timeout exactly as written", async () => {
    const lines: string[] = [];
    const result = await remote.exec("echo one >&2; printf two >&2", { timeoutMs: 5000, onStderr: (l) => lines.push(l) });
    expect(result.stderr).toBe("one\ntwo");
    expect(lines).toEqual(["one", "two"]);
  });
});

describe("failures", () => {
  it("rejects running commands with E_CONNECTION_LOST when the host dies, then reconnects", async () => {
    const host = t.hosts[2]!;
    const r = await connector.connect({ host: "host3" });
    const running = rejection(r.exec("sleep 5"));
    const queued = rejection(r.exec("sleep 5.5"));
    await sleep(300);
    host.kill();
    const [error, other] = await Promise.all([running, queued]);
    expect(error.code).toBe("E_CONNECTION_LOST");
    expect(formatFapError(error)).toBe("host3: connection lost while running `sleep 5`");
    expect(other.code).toBe("E_CONNECTION_LOST");

    // While it is down: a refused connect, which is not remembered...
    const refused = await rejection(r.exec("true"));
    expect(refused.code).toBe("E_SSH_CONNECT");
    expect(formatFapError(refused)).toBe(`host3: cannot connect to ${host.user}@127.0.0.1:${host.port}: connection refused`);
    await host.start();
    // ...so once it is back, the same Remote reconnects.
    expect((await r.exec("echo back")).stdout).toBe("back\n");
  });

  it("says where it tried to connect when nothing listens", async () => {
    const error = await rejection(connector.connect({ host: "root@127.0.0.1:1" }));
    expect(error.code).toBe("E_SSH_CONNECT");
    expect(formatFapError(error)).toBe("root@127.0.0.1:1: cannot connect to root@127.0.0.1:1: connection refused");
  });

  it("names the host name that does not resolve", async () => {
    const error = await rejection(connector.connect({ host: "deploy@nonexistent.invalid" }));
    expect(error.code).toBe("E_SSH_CONNECT");
    expect(formatFapError(error)).toBe("deploy@nonexistent.invalid: cannot connect to deploy@nonexistent.invalid:22: host name nonexistent.invalid not found");
  });

  it("gives up on a server that never speaks SSH after readyTimeoutMs", async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const impatient = new SshConnector({ home: t.home, agent: "", readyTimeoutMs: 300 });
    try {
      const error = await rejection(impatient.connect({ host: `root@127.0.0.1:${port}` }));
      expect(error.code).toBe("E_SSH_CONNECT");
      expect(formatFapError(error)).toBe(`root@127.0.0.1:${port}: cannot connect to root@127.0.0.1:${port}: no SSH handshake within 300 ms`);
    } finally {
      await impatient.close();
      silent.close();
    }
  });

  it("says which keys it tried when authentication fails", async () => {
    const host = t.hosts[0]!;
    const dir = path.dirname(t.sshConfigPath);
    const stranger = path.join(dir, "stranger");
    const locked = path.join(dir, "locked");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", stranger]);
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "secret", "-f", locked]);
    const config = path.join(dir, "config-auth");
    await writeFile(
      config,
      [
        "Host denied",
        "  HostName 127.0.0.1",
        `  Port ${host.port}`,
        "  User root",
        `  IdentityFile ${stranger}`,
        `  IdentityFile ${locked}`,
        "  IdentityFile ~/.ssh/does_not_exist",
        `  UserKnownHostsFile ${t.knownHostsPath}`,
        "",
      ].join("\n"),
    );
    const other = new SshConnector({ home: t.home, sshConfigPath: config, agent: "" });
    try {
      const error = await rejection(other.connect({ host: "denied" }));
      expect(error.code).toBe("E_SSH_AUTH");
      expect(formatFapError(error)).toMatch(new RegExp(`^denied: permission denied \\(publickey\\) as root@127\\.0\\.0\\.1:${host.port}; tried `));
      expect(error.message).not.toContain("\n");
      expect(error.message).toContain(`tried ${stranger}`);
      expect(error.message).toContain(`skipped encrypted ${locked}`);
      expect(error.message).toContain(`missing ${path.join(t.home, ".ssh", "does_not_exist")}`);
      expect(error.hint).toMatch(/authorized_keys/);
    } finally {
      await other.close();
    }
  });

  it("close() ends every connection and fails what still runs", async () => {
    const other = new SshConnector({ home: t.home, agent: "" });
    const r = await other.connect({ host: "host1" });
    const running = rejection(r.exec("sleep 5"));
    await sleep(100);
    await other.close();
    const error = await running;
    expect(error.code).toBe("E_CONNECTION_LOST");
    expect(formatFapError(error)).toBe("host1: connection closed while running `sleep 5`");
  });
});

describe("shell", () => {
  beforeEach(connectHost1);

  it("runs a command on a PTY and resolves with its exit code", async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let output = "";
    stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await remote.shell!({ command: "tty; echo $TERM; exit 5", stdin, stdout, rows: 30, columns: 100, pty: true });
    expect(code).toBe(5);
    expect(output).toMatch(/\/dev\/pts\/\d+/);
  });

  it("runs an interactive login shell fed from stdin", async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let output = "";
    stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const done = remote.shell!({ stdin, stdout });
    stdin.write("echo from-the-shell-$((40+2))\n");
    stdin.write("exit 3\n");
    expect(await done).toBe(3);
    expect(output).toContain("from-the-shell-42");
  });
});

describe("ProxyJump", () => {
  it("reaches a host through another one", async () => {
    const target = t.hosts[1]!;
    const config = path.join(path.dirname(t.sshConfigPath), "config-jump");
    await writeFile(
      config,
      (await readFile(t.sshConfigPath, "utf8")) +
        ["", "Host behind", "  HostName 127.0.0.1", `  Port ${target.port}`, "  User root", `  IdentityFile ${t.identityFile}`,
          `  UserKnownHostsFile ${t.knownHostsPath}`, "  ProxyJump host1", ""].join("\n"),
    );
    const jumping = new SshConnector({ home: t.home, sshConfigPath: config, agent: "" });
    try {
      const r = await jumping.connect({ host: "behind" });
      // sshd of host2 sees the connection coming from host1's sshd, not from us directly.
      const [, , , serverPort] = (await r.exec("echo $SSH_CONNECTION")).stdout.trim().split(" ");
      expect(Number(serverPort)).toBe(target.port);
      expect((await r.exec("echo through")).stdout).toBe("through\n");
    } finally {
      await jumping.close();
    }
  });
});
