import { writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { formatFapError, type FapError } from "@fap/core";
import type { SshConnectorOptions } from "../src/index.js";
import { useSshd } from "./_sshd.js";
import { rejection } from "../../../test/thrown.js";
import { listen, relay } from "./_tcp.js";

// The limits SshConnector keeps (handshakes at once, channels per connection, keepalive) and
// what it does with servers that never answer, go silent or drop connections.
const sshd = useSshd(1);
const { connector } = sshd;

/** A known_hosts file trusting host1's key on `port` (a relay in front of it). */
async function knownOn(port: number): Promise<string> {
  const file = path.join(sshd.t.dir, `known_hosts_${port}`);
  const [, type, key] = sshd.t.hosts[0]!.hostKeyLine.split(" ");
  await writeFile(file, `[127.0.0.1]:${port} ${type} ${key}\n`);
  return file;
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  for (const started = Date.now(); !condition() && Date.now() - started < ms; ) await sleep(20);
}

describe("handshakes", () => {
  it("opens at most 64 at once by default, maxHandshakes changes it; abandoned ones fail at once", async () => {
    const silent = await listen(() => {});
    try {
      for (const [maxHandshakes, expected] of [[undefined, 64], [2, 2]] as const) {
        const before = silent.accepted;
        const abort = new AbortController();
        const c = connector({ maxHandshakes, readyTimeoutMs: 30_000, signal: abort.signal });
        const hosts = Array.from({ length: expected + 1 }, (_, i) => `u${i}@127.0.0.1:${silent.port}`);
        const failures = hosts.map((host) => rejection(c.connect({ host })));
        await until(() => silent.accepted - before >= expected);
        await sleep(300);
        expect(silent.accepted - before).toBe(expected);
        expect(c.opening()).toHaveLength(expected + 1);
        expect(c.opening()).toContain(`${hosts[0]} (${hosts[0]})`);
        abort.abort();
        const errors: FapError[] = await Promise.all(failures);
        expect(errors.map((e) => formatFapError(e))).toEqual(hosts.map((host) => `${host}: connecting to ${host} was abandoned`));
      }
    } finally {
      await silent.close();
    }
  });

  it("gives the connectors guessing() makes the same turns as its own handshakes", async () => {
    const silent = await listen(() => {});
    try {
      const abortRun = new AbortController();
      const run = connector({ maxHandshakes: 2, readyTimeoutMs: 30_000, signal: abortRun.signal });
      const abortGuesses = new AbortController();
      const guesses = [0, 1].map((i) => rejection(run.guessing(abortGuesses.signal).connect({ host: `g${i}@127.0.0.1:${silent.port}` })));
      await until(() => silent.accepted >= 2);
      const own = rejection(run.connect({ host: `root@127.0.0.1:${silent.port}` }));
      await sleep(300);
      expect(silent.accepted).toBe(2);
      abortGuesses.abort();
      await Promise.all(guesses);
      // The guesses' turns are free: the run's own handshake starts.
      await until(() => silent.accepted >= 3);
      expect(silent.accepted).toBe(3);
      abortRun.abort();
      expect(formatFapError(await own)).toBe(`root@127.0.0.1:${silent.port}: connecting to root@127.0.0.1:${silent.port} was abandoned`);
    } finally {
      await silent.close();
    }
  });

  it("lists as opening only the connections not open yet", async () => {
    const silent = await listen(() => {});
    try {
      const abort = new AbortController();
      const c = connector({ signal: abort.signal });
      const open = await c.connect({ host: "host1" });
      const waiting = rejection(c.connect({ host: `root@127.0.0.1:${silent.port}` }));
      await until(() => silent.accepted > 0);
      expect(c.opening()).toEqual([`root@127.0.0.1:${silent.port} (root@127.0.0.1:${silent.port})`]);
      abort.abort();
      await waiting;
      expect(c.opening()).toEqual([]);
      // The signal abandons connections being opened, not those open already.
      expect((await open.exec("echo still open")).stdout).toBe("still open\n");
    } finally {
      await silent.close();
    }
  });

  it("closes cleanly while a connect is still on its way to failing", async () => {
    const silent = await listen(() => {});
    try {
      const c = connector({ readyTimeoutMs: 300 });
      const failing = rejection(c.connect({ host: `root@127.0.0.1:${silent.port}` }));
      await until(() => silent.accepted > 0);
      await c.close();
      expect((await failing).message).toBe(`cannot connect to root@127.0.0.1:${silent.port}: no SSH handshake within 300 ms`);
    } finally {
      await silent.close();
    }
  });

  it("abandons at once a connect whose signal was aborted before it started", async () => {
    const silent = await listen(() => {});
    try {
      const started = performance.now();
      const error = await rejection(connector({ signal: AbortSignal.abort() }).connect({ host: `root@127.0.0.1:${silent.port}` }));
      expect(error.code).toBe("E_SSH_CONNECT");
      expect(formatFapError(error)).toBe(`root@127.0.0.1:${silent.port}: connecting to root@127.0.0.1:${silent.port} was abandoned`);
      expect(performance.now() - started).toBeLessThan(10_000); // not the 20 s readyTimeout
    } finally {
      await silent.close();
    }
  });

  it("tries again when the server drops the connection before the handshake", async () => {
    const front = await relay(sshd.t.hosts[0]!.port, { drops: 2 });
    try {
      const r = await connector({ knownHostsPath: await knownOn(front.port) }).connect({ host: `root@127.0.0.1:${front.port}` });
      expect((await r.exec("echo third time")).stdout).toBe("third time\n");
      expect(front.accepted).toBe(3);
    } finally {
      await front.close();
    }
  });

  it("tries again when the server resets the connection before the handshake", async () => {
    const front = await relay(sshd.t.hosts[0]!.port, { drops: 1, reset: true });
    try {
      const r = await connector({ knownHostsPath: await knownOn(front.port) }).connect({ host: `root@127.0.0.1:${front.port}` });
      expect((await r.exec("echo after a reset")).stdout).toBe("after a reset\n");
      expect(front.accepted).toBe(2);
    } finally {
      await front.close();
    }
  });

  it("does not try again when the connection closes after the SSH handshake", async () => {
    const front = await relay(sshd.t.hosts[0]!.port);
    // An agent that never answers holds the client in authentication, past the handshake.
    const socket = path.join(sshd.t.dir, "silent-agent.sock");
    let asked!: () => void;
    const authenticating = new Promise<void>((resolve) => (asked = resolve));
    const agent = net.createServer(() => asked());
    await new Promise<void>((resolve) => agent.listen(socket, resolve));
    try {
      const failing = rejection(connector({ knownHostsPath: await knownOn(front.port), agent: socket }).connect({ host: `root@127.0.0.1:${front.port}` }));
      await authenticating;
      // Closed for good: a second try would be refused.
      await front.close();
      const error = await failing;
      expect(error.details).toEqual({ address: `root@127.0.0.1:${front.port}` });
      expect(error.message).not.toMatch(/refused|before the SSH handshake/);
      expect(front.accepted).toBe(1);
    } finally {
      await front.close();
      agent.close();
    }
  });

  it("says what is wrong with a server that does not speak SSH 2, not that it timed out", async () => {
    const old = await listen((socket) => socket.write("SSH-1.5-OldServer\r\n"));
    try {
      const error = await rejection(connector().connect({ host: `root@127.0.0.1:${old.port}` }));
      expect(formatFapError(error)).toBe(`root@127.0.0.1:${old.port}: cannot connect to root@127.0.0.1:${old.port}: Invalid identification string`);
    } finally {
      await old.close();
    }
  });

  it("says the server keeps dropping, and why a server does", async () => {
    const front = await relay(sshd.t.hosts[0]!.port, { drops: 100 });
    try {
      const error = await rejection(connector().connect({ host: `root@127.0.0.1:${front.port}` }));
      expect(error.code).toBe("E_SSH_CONNECT");
      expect(formatFapError(error)).toMatch(
        new RegExp(`^root@127\\.0\\.0\\.1:${front.port}: cannot connect to root@127\\.0\\.0\\.1:${front.port}: the server closed the connection before the SSH handshake \\(8 tries in `),
      );
      expect(error.hint).toBe(
        "sshd drops connections past its MaxStartups (default 10:30:100) while many are being opened at once: lower parallel, or raise MaxStartups on that server",
      );
      expect(error.details).toMatchObject({ address: `root@127.0.0.1:${front.port}`, dropped: true });
    } finally {
      await front.close();
    }
  }, 30_000);
});

describe("channels", () => {
  /**
   * The most commands of `count` that ran at once: each looks for about a second at how many
   * files of the others are in the host's /srv (long enough to overlap on a loaded machine).
   */
  async function peak(options: SshConnectorOptions, count: number): Promise<number> {
    const r = await connector(options).connect({ host: "host1" });
    const dir = `/srv/peak-${Math.random().toString(36).slice(2)}`;
    await r.exec(`mkdir -p ${dir}`);
    const look = `max=0; for i in 1 2 3 4 5 6 7 8 9 10; do n=$(ls ${dir} | wc -l); [ $n -gt $max ] && max=$n; sleep 0.1; done; echo $max`;
    const results = await Promise.all(Array.from({ length: count }, () => r.exec(`touch ${dir}/$$; ${look}; rm ${dir}/$$`)));
    return Math.max(...results.map((result) => Number(result.stdout.trim())));
  }

  it("opens 8 at once on a connection by default, maxChannelsPerHost changes it", async () => {
    expect(await peak({}, 9)).toBe(8);
    expect(await peak({ maxChannelsPerHost: 3 }, 4)).toBe(3);
  });
});

describe("keepalive", () => {
  it("notices a peer gone silent during a command after a few keepaliveIntervalMs", async () => {
    const front = await relay(sshd.t.hosts[0]!.port);
    try {
      const r = await connector({ knownHostsPath: await knownOn(front.port), keepaliveIntervalMs: 200 }).connect({ host: `root@127.0.0.1:${front.port}` });
      const running = rejection(r.exec("sleep 20"));
      await sleep(200);
      front.freeze();
      // Without keepalive it would wait for the sleep: given up on after 10 s.
      const error = await Promise.race([running, sleep(10_000).then(() => undefined)]);
      expect(error?.code).toBe("E_CONNECTION_LOST");
      expect(error?.hint).toMatch(/^ssh said: .*keepalive/i);
    } finally {
      await front.close();
    }
  });
});
