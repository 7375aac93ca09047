import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { collect, isRunning } from "./_ssh.js";

// A separate Node process is the only way to watch a test process die. It runs the built package
// (`npx tsc -b packages/testing` first), as a plugin's test suite would.
const built = fileURLToPath(new URL("../dist/index.js", import.meta.url));

const script = (ending: string) => `
  import { startTestHosts } from ${JSON.stringify(built)};
  const testHosts = await startTestHosts({ count: 2 });
  console.log(JSON.stringify({ pids: testHosts.hosts.map((host) => host.pid), dir: testHosts.dir }));
  ${ending}
`;

/** Up to 10 s: a loaded machine takes its time to end a process; those still alive after are returned. */
async function waitUntilGone(pids: number[]): Promise<number[]> {
  for (const end = Date.now() + 10_000; Date.now() < end && pids.some(isRunning); ) await sleep(10);
  return pids.filter(isRunning);
}

describe.skipIf(!existsSync(built))("a test process that never calls stop()", () => {
  it("still exits on its own, taking its sshd processes and files with it", async () => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script("")], { stdio: ["ignore", "pipe", "pipe"] });
    const result = await collect(child);
    expect(result).toMatchObject({ exitCode: 0, stderr: "" });
    const { pids, dir } = JSON.parse(result.stdout) as { pids: number[]; dir: string };
    expect(await waitUntilGone(pids)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });

  it("takes its sshd processes along even when SIGKILLed", async () => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script("setInterval(() => {}, 1000);")], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const line = await new Promise<string>((resolve) => child.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString())));
    const { pids, dir } = JSON.parse(line) as { pids: number[]; dir: string };
    expect(pids.filter(isRunning)).toHaveLength(2);
    child.kill("SIGKILL");
    expect(await waitUntilGone(pids)).toEqual([]);
    // Nothing can delete files for a SIGKILLed process.
    await rm(dir, { recursive: true, force: true });
  });
});
