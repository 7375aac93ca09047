import { execFileSync, spawn } from "node:child_process";
import { createReadStream, existsSync } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { FAP_BIN, hostTree } from "../harness.js";
import { useTestHosts } from "../three-hosts.js";

// `fap status | head -1`: output to a closed pipe ends fap quietly, as it ends `git log`; a run
// that changes hosts goes on to its end instead, and frees its lock.

const testHosts = useTestHosts(2);

const project = (app: string, updating = 'echo "%(release)s" > VERSION') =>
  testHosts.project({
    "deploy.yml": `app_name: ${app}
path: /srv/www/${app}
hooks:
  updating: ${updating}
stage_role_configs:
  production:
    web:
      hosts: [host1, host2]
`,
  });

interface PipedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * `fap ARGS` with stdout and stderr on pipes that the reader closes: `closeAfter` 0 closes
 * before fap writes anything, 1 after the first chunk it wrote. Killed if it hangs.
 */
function runPiped(dir: string, args: readonly string[], closeAfter: { stdout?: number; stderr?: number }): Promise<PipedRun> {
  const child = spawn(process.execPath, [FAP_BIN, ...args], {
    cwd: dir,
    env: { ...process.env, ...testHosts.hosts.env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  let stderr = "";
  const closeReader = (stream: Readable, after: number | undefined, onData?: (chunk: Buffer) => void) => {
    if (after === 0) return stream.destroy();
    stream.on("data", (chunk: Buffer) => {
      onData?.(chunk);
      if (after !== undefined) stream.destroy();
    });
  };
  closeReader(child.stdout!, closeAfter.stdout);
  closeReader(child.stderr!, closeAfter.stderr, (chunk) => (stderr += chunk));
  return new Promise((resolve) =>
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    }),
  );
}

describe("output to a closed pipe", () => {
  it.each([["status"], ["config"], ["releases"], ["doctor"]])("fap %s | head -1 ends quietly, without a stack trace", async (command) => {
    const dir = await project("piped");
    const run = await runPiped(dir, [command, "-s", "production"], { stdout: 0 });
    expect(run.stderr).toBe("");
    expect(run.signal).toBeNull();
    expect(run.code).toBe(141);
  });

  it("with stderr closed too, an error ends fap quietly, with the error's exit code", async () => {
    const dir = await project("piped");
    const run = await runPiped(dir, ["status", "-s", "nowhere"], { stdout: 0, stderr: 0 });
    expect(run.signal).toBeNull();
    expect(run.code).toBe(2);
  });

  it("a deploy whose stdout reader goes away finishes, switches every host and frees the lock", async () => {
    const dir = await project("piped-deploy");
    const run = await runPiped(dir, ["run", "deploy", "-s", "production"], { stdout: 0 });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    for (const index of [0, 1]) {
      const tree = await hostTree(testHosts.hosts, index, "/srv/www/piped-deploy");
      expect(tree.current).toMatch(/releases\/\d+/);
      expect(tree.log.at(-1)?.status).toBe("ok");
      expect(existsSync(tree.local(".fap/lock"))).toBe(false);
    }
  });

  it("a failing deploy with stdout and stderr closed still cleans up, frees the lock and exits 1", async () => {
    const dir = await project("piped-failure", "exit 3");
    const run = await runPiped(dir, ["run", "deploy", "-s", "production"], { stdout: 0, stderr: 0 });
    expect(run.signal).toBeNull();
    expect(run.code).toBe(1);
    for (const index of [0, 1]) {
      const tree = await hostTree(testHosts.hosts, index, "/srv/www/piped-failure");
      expect(tree.current).toBeUndefined();
      expect(tree.releases).toEqual([]);
      expect(existsSync(tree.local(".fap/lock"))).toBe(false);
    }
  });

  it("a deploy whose --log pipe closes half way finishes and frees the lock", async () => {
    const dir = await project("piped-log");
    // --log >(head -c 100): a named pipe whose reader goes away after the first chunk.
    const fifo = path.join(dir, "log.fifo");
    execFileSync("mkfifo", [fifo]);
    const reader = createReadStream(fifo);
    reader.once("data", () => reader.destroy());
    const run = await runPiped(dir, ["run", "deploy", "-s", "production", "--log", fifo], {});
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code, run.stderr).toBe(0);
    for (const index of [0, 1]) {
      const tree = await hostTree(testHosts.hosts, index, "/srv/www/piped-log");
      expect(tree.current).toMatch(/releases\/\d+/);
      expect(existsSync(tree.local(".fap/lock"))).toBe(false);
    }
  });
});
