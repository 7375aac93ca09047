import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { ExecResult } from "@fap/core";
import type { TestHosts } from "../src/index.js";
import { collect, isRunning, ssh, sshArgs } from "./_ssh.js";
import { useTestHosts } from "./_use-test-hosts.js";

/** An ssh session that stays open until the host drops it; `ended` settles when it does. */
async function openSession(testHosts: TestHosts, alias: string): Promise<{ ended: Promise<ExecResult> }> {
  const child = spawn("ssh", sshArgs(testHosts, alias, "echo ready; sleep 30"), { stdio: ["ignore", "pipe", "pipe"] });
  const ended = collect(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve());
    child.once("exit", () => reject(new Error("session ended before it was ready")));
  });
  // Wrapped: returning the promise itself from an async function would wait for the session to end.
  return { ended };
}

/** Up to 10 s: a loaded machine takes its time to end a process; a live one fails the check after. */
async function waitUntilGone(pid: number): Promise<void> {
  for (const end = Date.now() + 10_000; Date.now() < end && isRunning(pid); ) await sleep(10);
}

/** Processes whose command line mentions `text`, e.g. the test hosts' temp dir. */
function processesMentioning(text: string): string[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
        return cmdline.includes(text) ? [`${pid}: ${cmdline}`] : [];
      } catch {
        return [];
      }
    });
}

describe("host lifecycle", () => {
  const testHosts = useTestHosts(2);

  it("kill() drops open sessions at once; start() comes back on the same port with the same key", async () => {
    const host = testHosts().hosts[0]!;
    const { port, hostKeyLine } = host;
    const pid = host.pid!;
    const session = await openSession(testHosts(), host.alias);

    host.kill();
    expect((await session.ended).exitCode).toBe(255);
    await waitUntilGone(pid);
    expect(isRunning(pid)).toBe(false);
    expect(host.running).toBe(false);
    expect(host.pid).toBeUndefined();
    expect((await ssh(testHosts(), host.alias, "true")).stderr).toMatch(/Connection refused/);
    await expect(host.exec("true")).rejects.toThrow(/host1 is not running/);

    await host.start();
    expect(host.running).toBe(true);
    expect(host.pid).not.toBe(pid);
    expect(host.port).toBe(port);
    expect(host.hostKeyLine).toBe(hostKeyLine);
    const again = await ssh(testHosts(), host.alias, "echo back", ["-o", "StrictHostKeyChecking=yes"]);
    expect(again).toEqual({ stdout: "back\n", stderr: "", exitCode: 0 });
    expect((await host.exec("ls -A /srv")).exitCode).toBe(0);
    await host.start(); // already running: nothing to do
  });

  it("stop() ends sshd and its sessions and is idempotent", async () => {
    const host = testHosts().hosts[1]!;
    const pid = host.pid!;
    const session = await openSession(testHosts(), host.alias);

    await host.stop();
    expect(isRunning(pid)).toBe(false);
    expect((await session.ended).exitCode).toBe(255);
    await host.stop();
    expect(host.running).toBe(false);

    await host.start();
    expect((await ssh(testHosts(), host.alias, "echo up")).stdout).toBe("up\n");
  });

  it("TestHosts.stop() leaves no process behind and removes its directory", async () => {
    const pids = testHosts().hosts.map((host) => host.pid!);
    const session = await openSession(testHosts(), "host2");
    // Both listeners and the ssh client (through its -F path) mention the directory.
    expect(processesMentioning(testHosts().dir)).toHaveLength(3);

    await Promise.all([testHosts().stop(), testHosts().stop()]);
    await session.ended;
    expect(pids.filter(isRunning)).toEqual([]);
    expect(processesMentioning(testHosts().dir)).toEqual([]);
    expect(existsSync(testHosts().dir)).toBe(false);
    await testHosts().stop();
  });
});
