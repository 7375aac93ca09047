import { writeFile } from "node:fs/promises";
import path from "node:path";
import { PassThrough } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { ShellOptions } from "@fap/core/internal";
import { type SshConnectorOptions } from "../src/index.js";
import { useSshd } from "./_sshd.js";
import { relay } from "./_tcp.js";

// Remote.shell against a real sshd: the PTY it asks for, the terminal it is wired to, the exit code.
const sshd = useSshd(1);

async function remote(options: SshConnectorOptions = {}) {
  const c = sshd.connector({ ...options });
  return { connector: c, remote: await c.connect({ host: "host1" }) };
}

/** A terminal as the shell sees one: a stream with a size, raw mode and resize events. */
class FakeTty extends PassThrough {
  isTTY = true;
  rows = 24;
  columns = 80;
  isRaw = false;
  readonly rawModes: boolean[] = [];
  output = "";

  constructor(size?: { rows: number; columns: number }) {
    super();
    if (size) Object.assign(this, size);
    this.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
  }

  setRawMode(mode: boolean): this {
    this.rawModes.push(mode);
    this.isRaw = mode;
    return this;
  }
}

async function until(condition: () => boolean): Promise<void> {
  for (const started = Date.now(); !condition() && Date.now() - started < 10_000; ) await sleep(20);
}

async function run(options: Partial<ShellOptions> & { command: string }, connectorOptions?: SshConnectorOptions) {
  const { remote: r } = await remote(connectorOptions);
  const stdin = new PassThrough();
  const stdout = new FakeTty();
  const code = await r.shell!({ stdin, stdout, ...options });
  return { code, output: stdout.output };
}

describe("shell", () => {
  it("sizes the PTY from the options, else from the terminal, else 24x80", async () => {
    expect((await run({ command: "stty size", pty: true, rows: 30, columns: 100 })).output).toContain("30 100");
    const sized = new FakeTty({ rows: 33, columns: 111 });
    const { remote: r } = await remote();
    expect(await r.shell!({ command: "stty size", pty: true, stdin: new PassThrough(), stdout: sized })).toBe(0);
    expect(sized.output).toContain("33 111");
    const plain = new PassThrough();
    let output = "";
    plain.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await r.shell!({ command: "stty size", pty: true, stdin: new PassThrough(), stdout: plain });
    expect(output).toContain("24 80");
  });

  it("passes TERM on, xterm-256color when unset", async () => {
    const saved = process.env["TERM"];
    try {
      process.env["TERM"] = "vt100";
      expect((await run({ command: "echo term=$TERM", pty: true })).output).toContain("term=vt100");
      delete process.env["TERM"];
      expect((await run({ command: "echo term=$TERM", pty: true })).output).toContain("term=xterm-256color");
    } finally {
      if (saved === undefined) delete process.env["TERM"];
      else process.env["TERM"] = saved;
    }
  });

  it("gives a login shell no PTY when stdin is no terminal", async () => {
    const { remote: r } = await remote();
    const piped = new PassThrough();
    const out = new FakeTty();
    const done = r.shell!({ stdin: piped, stdout: out });
    piped.end("tty; exit 0\n");
    expect(await done).toBe(0);
    expect(out.output).toContain("not a tty");
  });

  it("gives a command without a PTY when stdin is no terminal, and 128 + the signal of a killed shell", async () => {
    const result = await run({ command: "tty; echo to-stderr >&2; kill -TERM $$" });
    expect(result.output).toContain("not a tty");
    expect(result.output).toContain("to-stderr");
    expect(result.code).toBe(143);
  });

  it("puts a terminal in raw mode for the session, and back after it, and follows its resizes", async () => {
    const { remote: r } = await remote();
    const stdin = new FakeTty();
    const stdout = new FakeTty({ rows: 20, columns: 70 });
    const done = r.shell!({ command: "stty size; sleep 1; stty size", stdin, stdout });
    await until(() => stdout.output.includes("20 70"));
    Object.assign(stdout, { rows: 40, columns: 120 });
    stdout.emit("resize");
    expect(await done).toBe(0);
    expect(stdout.output).toMatch(/20 70\r?\n[^]*40 120/);
    expect(stdin.rawModes).toEqual([true, false]);
    expect(stdin.isPaused()).toBe(true);
    expect(stdout.listenerCount("resize")).toBe(0);
  });

  it("leaves raw mode as it was, and alone for input that only looks like a terminal", async () => {
    const { remote: r } = await remote();
    const raw = new FakeTty();
    raw.isRaw = true;
    expect(await r.shell!({ command: "true", stdin: raw, stdout: new FakeTty() })).toBe(0);
    expect(raw.rawModes).toEqual([true, true]);
    const unknown = new FakeTty();
    Object.assign(unknown, { isRaw: undefined });
    expect(await r.shell!({ command: "true", stdin: unknown, stdout: new FakeTty() })).toBe(0);
    expect(unknown.rawModes).toEqual([true, false]); // not raw before, as isRaw did not say
    const notTty = new FakeTty();
    notTty.isTTY = false;
    expect(await r.shell!({ command: "true", stdin: notTty, stdout: new FakeTty() })).toBe(0);
    expect(notTty.rawModes).toEqual([]);
  });

  it("keeps the size given in the options when the terminal resizes", async () => {
    const { remote: r } = await remote();
    const stdout = new FakeTty();
    const done = r.shell!({ command: "stty size; sleep 1; stty size", pty: true, rows: 21, columns: 71, stdin: new PassThrough(), stdout });
    await until(() => stdout.output.includes("21 71"));
    Object.assign(stdout, { rows: 40, columns: 120 });
    stdout.emit("resize");
    expect(await done).toBe(0);
    expect(stdout.output).toMatch(/21 71\r?\n[^]*21 71/);
    expect(stdout.listenerCount("resize")).toBe(0);
  });

  it("resolves 255 when the connection goes before the shell told its exit status", async () => {
    const { connector, remote: r } = await remote();
    const stdout = new FakeTty();
    const stdin = new FakeTty();
    const done = r.shell!({ command: "echo up; sleep 5", stdin, stdout });
    await until(() => stdout.output.includes("up"));
    await connector.close();
    expect(await done).toBe(255);
    // The loss and the channel's close both end the session: the terminal is restored once.
    expect(stdin.rawModes).toEqual([true, false]);
  });

  it("gives its channel back: on a one-channel connection, commands run after it", async () => {
    const { remote: r } = await remote({ maxChannelsPerHost: 1 });
    expect(await r.shell!({ command: "exit 4", stdin: new PassThrough(), stdout: new FakeTty() })).toBe(4);
    expect((await r.exec("echo after", { timeoutMs: 5000 })).stdout).toBe("after\n");
  });

  it("sees the exit code of a command that ends at once, when the link delivers its reply, output, exit and close in one read", async () => {
    // A busy machine or a slow link hands ssh2 the channel's whole life in one read; ssh2 then
    // emits exit and close before a caller awaiting the channel resumes. It once came back as 255.
    const front = await relay(sshd.t.hosts[0]!.port, { batchMs: 150 });
    const knownHostsPath = path.join(sshd.t.dir, "known_hosts_batched");
    const [, type, key] = sshd.t.hosts[0]!.hostKeyLine.split(" ");
    await writeFile(knownHostsPath, `[127.0.0.1]:${front.port} ${type} ${key}\n`);
    try {
      const r = await sshd.connector({ knownHostsPath }).connect({ host: `root@127.0.0.1:${front.port}` });
      const stdout = new FakeTty();
      expect(await r.shell!({ command: "echo out; exit 4", stdin: new PassThrough(), stdout })).toBe(4);
      expect(stdout.output).toBe("out\n");
      expect(await r.shell!({ command: "exit 0", pty: true, stdin: new PassThrough(), stdout: new FakeTty() })).toBe(0);
      expect(await r.shell!({ command: "kill -TERM $$", stdin: new PassThrough(), stdout: new FakeTty() })).toBe(143);
    } finally {
      await front.close();
    }
  });
});
