import { readFile } from "node:fs/promises";
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export interface ReadinessProbe {
  port: number;
  pid: number;
  pidFile: string;
  hasExited(): boolean;
  timeoutMs: number;
}

const POLL_MS = 10;

/**
 * Resolves once our sshd serves SSH. sshd writes its pid file only after binding the port, so a
 * matching pid file proves that the banner read afterwards comes from our daemon and not from some
 * other process that grabbed the port first.
 */
export async function waitForSshd(probe: ReadinessProbe): Promise<void> {
  const deadline = Date.now() + probe.timeoutMs;
  for (;;) {
    if (probe.hasExited()) throw new Error("sshd exited during startup");
    if ((await pidFileNames(probe.pidFile, probe.pid)) && (await readsBanner(probe.port, deadline - Date.now()))) return;
    if (Date.now() >= deadline) throw new Error(`no SSH banner on 127.0.0.1:${probe.port} within ${probe.timeoutMs} ms`);
    await sleep(POLL_MS);
  }
}

async function pidFileNames(path: string, pid: number): Promise<boolean> {
  try {
    return Number.parseInt(await readFile(path, "utf8"), 10) === pid;
  } catch {
    return false;
  }
}

function readsBanner(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    let received = "";
    let isSsh = false;
    socket.setTimeout(Math.max(timeoutMs, 1), () => socket.destroy());
    socket.on("error", () => socket.destroy());
    socket.on("close", () => resolve(isSsh));
    socket.on("data", (chunk: Buffer) => {
      if (isSsh) return;
      received += chunk.toString("latin1");
      if (!received.includes("\n")) return;
      isSsh = received.startsWith("SSH-2.0-");
      // Answering with an identification of our own keeps sshd from logging an error about the probe.
      socket.end("SSH-2.0-fap-testing-probe\r\n");
    });
  });
}
