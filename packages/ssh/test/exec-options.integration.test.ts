import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import ssh2 from "ssh2";
import { describe, expect, it } from "vitest";
import { formatFapError } from "@fap/core";
import { Connection } from "../src/connection.js";
import { execOnConnection } from "../src/exec.js";
import { type SshConnectorOptions } from "../src/index.js";
import { useSshd } from "./_sshd.js";
import { relay } from "./_tcp.js";
import { rejection } from "../../../test/thrown.js";

// Remote.exec's options and messages against a real sshd, each test on its own connection.
const sshd = useSshd(1);

async function remote(options: SshConnectorOptions = {}) {
  const c = sshd.connector({ ...options });
  return { connector: c, remote: await c.connect({ host: "host1" }) };
}

/** A connection to host1 through a relay, which can go silent (freeze). */
async function throughRelay() {
  const front = await relay(sshd.t.hosts[0]!.port);
  const knownHostsPath = path.join(sshd.t.dir, `known_hosts_${front.port}`);
  const [, type, key] = sshd.t.hosts[0]!.hostKeyLine.split(" ");
  await writeFile(knownHostsPath, `[127.0.0.1]:${front.port} ${type} ${key}\n`);
  const c = sshd.connector({ knownHostsPath });
  return { front, connector: c, remote: await c.connect({ host: `root@127.0.0.1:${front.port}` }) };
}

/** What `pattern` finds among host1's processes ("" for none); a [x] in it keeps pgrep from finding itself. */
async function processes(pattern: string): Promise<string> {
  return (await sshd.t.hosts[0]!.exec(`pgrep -f '${pattern}' || true`)).stdout.trim();
}

describe("exec", () => {
  it("names the command as shownAs says in its messages", async () => {
    const { remote: r } = await remote();
    const error = await rejection(r.exec("sudo -n sleep 5", { shownAs: "sleep 5", timeoutMs: 200 }));
    expect(formatFapError(error)).toBe("host1: `sleep 5` timed out after 200 ms");
    expect(error.details).toEqual({ command: "sleep 5", timeoutMs: 200 });
  });

  it("shows a command's line breaks as \\n in messages", async () => {
    const { remote: r } = await remote();
    const error = await rejection(r.exec("sleep 5\nsleep 6", { timeoutMs: 200 }));
    expect(error.message).toBe("`sleep 5\\nsleep 6` timed out after 200 ms");
  });

  it("has no timeout when timeoutMs is 0", async () => {
    const { remote: r } = await remote();
    expect((await r.exec("sleep 0.2; echo waited", { timeoutMs: 0 })).stdout).toBe("waited\n");
  });

  it("learns a lower MaxSessions from sshd's refusals and queues the rest", async () => {
    // The test hosts' sshd allows 64 sessions; 70 channels at once get some refused, then run once others end.
    const { remote: r } = await remote({ maxChannelsPerHost: 70 });
    const results = await Promise.all(Array.from({ length: 70 }, (_, i) => r.exec(`sleep 0.5; echo ${i}`)));
    expect(results.map((result) => result.stdout)).toEqual(Array.from({ length: 70 }, (_, i) => `${i}\n`));
  });

  it("refuses forward_agent without an ssh-agent, and gives the channel back", async () => {
    const { remote: r } = await remote({ maxChannelsPerHost: 1 });
    const error = await rejection(r.exec("echo forwarded", { forwardAgent: true }));
    expect(error.code).toBe("E_CONFIG");
    expect(formatFapError(error)).toBe("host1: forward_agent is set, but there is no ssh-agent to forward");
    expect((await r.exec("echo next", { timeoutMs: 5000 })).stdout).toBe("next\n");
  });

  it("says it cannot run a command on a connection that is ending", async () => {
    const host = sshd.t.hosts[0]!;
    const client = new ssh2.Client();
    await new Promise<void>((resolve, reject) => {
      client.once("ready", resolve).once("error", reject);
      client.connect({ host: "127.0.0.1", port: host.port, username: host.user, privateKey: readFileSync(sshd.t.identityFile) });
    });
    const connection = new Connection(client, 1, () => {});
    // Its socket takes no more writes at once; it is lost only once the server closed its side.
    client.end();
    const error = await rejection(execOnConnection(connection, "host1", "echo late"));
    expect(error.code).toBe("E_SSH_CONNECT");
    expect(formatFapError(error)).toBe("host1: cannot run `echo late`: Not connected");
    expect(error.details).toEqual({ command: "echo late" });
    await connection.end();
  });

  it("stops calling a line callback once it threw", async () => {
    const { remote: r } = await remote();
    const lines: string[] = [];
    const error = await r
      .exec("echo a; echo b; echo c; sleep 1", {
        onStdout: (line) => {
          lines.push(line);
          throw new Error(`no ${line}`);
        },
      })
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toBe("no a");
    expect(lines).toEqual(["a"]);
  });

  it("fails what runs and what waits for a channel, with no hint, when the connector closes", async () => {
    const { connector, remote: r } = await remote({ maxChannelsPerHost: 1 });
    const running = rejection(r.exec("sleep 5"));
    const queued = rejection(r.exec("sleep 6"));
    await sleep(200);
    await connector.close();
    const error = await running;
    expect(error.message).toBe("connection closed while running `sleep 5`");
    expect(error.hint).toBeUndefined();
    expect(error.details).toEqual({ command: "sleep 5" });
    expect((await queued).message).toBe("connection closed while running `sleep 6`");
  });

  it("calls no line callback once the command failed: a cut last line is dropped", async () => {
    const { connector, remote: r } = await remote();
    const lines: string[] = [];
    const running = rejection(r.exec("printf 'no newline'; sleep 5", { onStdout: (line) => lines.push(line) }));
    await sleep(500);
    await connector.close();
    expect((await running).code).toBe("E_CONNECTION_LOST");
    await sleep(100);
    expect(lines).toEqual([]);
  });

  it("says the server closed the connection when it went without a word", async () => {
    const { remote: r } = await remote();
    // $PPID is the sshd serving this connection: the server side ends, with no error on the way.
    const error = await rejection(r.exec("kill $PPID; sleep 5"));
    expect(formatFapError(error)).toBe("host1: connection lost while running `kill $PPID; sleep 5`");
    expect(error.hint).toBe("the server closed the connection (sshd restarted or killed, network down?)");
  });

  it("gives the same hint when the server's side resets the connection", async () => {
    const { front, remote: r } = await throughRelay();
    try {
      // Reset once the command runs: the server side goes while it is in the middle of it.
      const error = await rejection(r.exec("echo up; sleep 5", { onStdout: () => front.reset() }));
      expect(error.message).toBe("connection lost while running `echo up; sleep 5`");
      expect(error.hint).toBe("the server closed the connection (sshd restarted or killed, network down?)");
      expect((error.cause as NodeJS.ErrnoException).code).toBe("ECONNRESET");
    } finally {
      await front.close();
    }
  });

  it("fails with the callback's error, not the lost connection, when the connection goes while the command is killed", async () => {
    const { front, connector: c, remote: r } = await throughRelay();
    try {
      let threw!: () => void;
      const thrown = new Promise<void>((resolve) => (threw = resolve));
      const running = r
        .exec("echo a; sleep 5", {
          onStdout: () => {
            // The kill cannot reach the host any more: the connection goes first.
            front.freeze();
            threw();
            throw new Error("callback broke");
          },
        })
        .catch((caught: unknown) => caught);
      await thrown;
      await c.close();
      expect(await running).toMatchObject({ message: "callback broke" });
    } finally {
      await front.close();
    }
  });

  it("fails with its timeout, not the lost connection, when the connection goes while the command is killed", async () => {
    const { front, connector: c, remote: r } = await throughRelay();
    try {
      let up!: () => void;
      const frozen = new Promise<void>((resolve) => (up = resolve));
      const running = rejection(r.exec("echo up; sleep 5", { timeoutMs: 500, onStdout: () => (front.freeze(), up()) }));
      // The timeout's timer starts once the channel is open, before any output: 600 ms after
      // the output it has fired, however long the channel took to open on a loaded machine.
      await frozen;
      await sleep(600);
      await c.close();
      const error = await running;
      expect(error.code).toBe("E_COMMAND_TIMEOUT");
      expect(error.message).toBe("`echo up; sleep 5` timed out after 500 ms");
    } finally {
      await front.close();
    }
  });

  it("reports a timeout when sshd refuses the kill's channel, and the other commands finish", async () => {
    // All 64 sessions the test hosts' sshd allows are open: the kill's channel, outside the queue, is refused.
    const { remote: r } = await remote({ maxChannelsPerHost: 64 });
    const others = Array.from({ length: 63 }, (_, i) => r.exec(`sleep 2; echo ${i}`));
    const error = await rejection(r.exec("sleep 2", { timeoutMs: 500 }));
    expect(formatFapError(error)).toBe("host1: `sleep 2` timed out after 500 ms");
    expect((await Promise.all(others)).map((result) => result.stdout)).toEqual(Array.from({ length: 63 }, (_, i) => `${i}\n`));
  });

  it("never kills what a command that finished in time left running", async () => {
    const { remote: r } = await remote();
    try {
      // Started in the background, in the command's process group, its output elsewhere. The
      // timeout leaves a loaded machine time to finish the command; the check waits past it.
      const started = performance.now();
      const result = await r.exec("sleep 4.0457 >/dev/null 2>&1 </dev/null & echo started", { timeoutMs: 2000 });
      expect(result.stdout).toBe("started\n");
      await sleep(2600 - (performance.now() - started));
      expect(await processes("sleep [4].0457")).not.toBe("");
    } finally {
      await sshd.t.hosts[0]!.exec("pkill -f 'sleep [4].0457' || true");
    }
  });

  it("gives a timed-out command's channel back even when something it started keeps its output open", async () => {
    const { remote: r } = await remote({ maxChannelsPerHost: 1 });
    try {
      // setsid: out of the process group the kill ends, holding the channel's stdout.
      const error = await rejection(r.exec("setsid sleep 60.0571", { timeoutMs: 300 }));
      expect(error.code).toBe("E_COMMAND_TIMEOUT");
      const after = await Promise.race([r.exec("echo after"), sleep(10_000).then(() => ({ stdout: "still waiting for the channel" }))]);
      expect(after.stdout).toBe("after\n");
    } finally {
      await sshd.t.hosts[0]!.exec("pkill -f 'sleep [6]0.0571' || true");
    }
  });

  it("feeds a stream as stdin to its end", async () => {
    const { remote: r } = await remote();
    expect((await r.exec("wc -c", { stdin: Readable.from([Buffer.from("abc"), Buffer.from("de")]) })).stdout.trim()).toBe("5");
  });

  it("lets the command finish after its stdin stream ended", async () => {
    const { remote: r } = await remote();
    const result = await r.exec("cat >/dev/null; sleep 0.5; echo done", { stdin: Readable.from([Buffer.from("all of it")]) });
    expect(result.stdout).toBe("done\n");
  });

  it("cuts the command's input when the stdin stream breaks, instead of ending it", async () => {
    const { remote: r } = await remote();
    const stdin = new PassThrough();
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const result = r.exec("echo started; cat > /srv/cut; echo status $?", { stdin, onStdout: started });
    stdin.write("partial");
    await running;
    stdin.destroy(new Error("source broke"));
    // A clean end would let cat finish and the shell print its status.
    expect((await result).stdout).not.toContain("status");
  });

  it("cuts the command's input when the stdin stream is destroyed without an error", async () => {
    const { remote: r } = await remote();
    const stdin = new PassThrough();
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const result = r.exec("echo started; cat > /srv/cut-quietly; echo status $?", { stdin, onStdout: started, timeoutMs: 10_000 });
    stdin.write("partial");
    await running;
    stdin.destroy();
    expect((await result).stdout).not.toContain("status");
  });
});
