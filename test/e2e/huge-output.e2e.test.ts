import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FAP_BIN, hostTree, type TestHosts } from "../harness.js";
import { useTestHosts } from "../three-hosts.js";

const testHosts = useTestHosts(1);
const MB = 1_000_000;
/** fap's own RSS is ~80 MB; keeping 300 MB of output (as bytes, then as a string) took over 600. */
const RSS_BOUND_KB = 220 * 1024;

/** 300 MB of `x`, in lines of 1 MB: each line far above the display bound. */
const HUGE = `head -c ${300 * MB} /dev/zero | tr '\\0' x | fold -w ${MB}`;

interface MeasuredRun {
  code: number;
  stdoutBytes: number;
  stderr: string;
  /** Peak resident set of the fap process, in KB, as /usr/bin/time -v reports it. */
  maxRssKb: number;
}

/** `fap ARGS` under /usr/bin/time -v, its stdout to a file (as `> log` would): how big and how heavy. */
function measureFap(hosts: TestHosts, cwd: string, args: readonly string[]): Promise<MeasuredRun> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "fap-huge-"));
  const timeFile = path.join(tmp, "time");
  const outFile = path.join(tmp, "out");
  const out = openSync(outFile, "w");
  return new Promise((resolve) => {
    const child = spawn("/usr/bin/time", ["-v", "-o", timeFile, process.execPath, FAP_BIN, ...args], {
      cwd,
      env: { ...process.env, ...hosts.env, NO_COLOR: "1" },
      stdio: ["ignore", out, "pipe"],
    });
    closeSync(out);
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      if (stderr.length < 200_000) stderr += chunk.toString();
    });
    child.on("close", (code) => {
      const time = readFileSync(timeFile, "utf8");
      const stdoutBytes = statSync(outFile).size;
      rmSync(tmp, { recursive: true, force: true });
      resolve({ code: code ?? 1, stdoutBytes, stderr, maxRssKb: Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(time)?.[1] ?? NaN) });
    });
  });
}

describe("a command printing hundreds of MB", () => {
  it("fap once: streams it with bounded memory, long lines cut for display", async () => {
    const dir = await testHosts.project({
      "deploy.yml": "app_name: huge\npath: /srv/www/huge\nstage_role_configs:\n  production:\n    web:\n      hosts: [host1]\n",
    });
    // `once` runs in `current`: give it one.
    await testHosts.hosts.hosts[0]!.exec("mkdir -p /srv/www/huge/releases/1 && ln -sfn releases/1 /srv/www/huge/current");
    const run = await measureFap(testHosts.hosts, dir, ["once", "-s", "production", "-c", `${HUGE}; echo the end`]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.maxRssKb).toBeLessThan(RSS_BOUND_KB);
    // 300 lines of 16 KiB shown (plus the note of what was cut), not 300 MB.
    expect(run.stdoutBytes).toBeGreaterThan(300 * 16 * 1024);
    expect(run.stdoutBytes).toBeLessThan(10 * MB);
  }, 180_000);

  it("a failing hook: the deploy fails cleanly, memory bounded, the lock freed, the error quoting a cut last line", async () => {
    const dir = await testHosts.project({
      "deploy.yml": `app_name: huge-hook
path: /srv/www/huge-hook
hooks:
  updated: ${JSON.stringify(`${HUGE} >&2; exit 3`)}
stage_role_configs:
  production:
    web:
      hosts: [host1]
`,
    });
    const run = await measureFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: .*exited with 3: x{100}/m);
    expect(run.stderr).not.toMatch(/ERR_STRING_TOO_LONG|\n +at /);
    // The error line quotes the last line, cut: not a megabyte of x.
    expect(run.stderr.length).toBeLessThan(4000);
    expect(run.maxRssKb).toBeLessThan(RSS_BOUND_KB);
    const tree = await hostTree(testHosts.hosts, 0, "/srv/www/huge-hook");
    expect(existsSync(tree.local(".fap/lock"))).toBe(false);
    expect(tree.log.at(-1)?.status).toBe("failed");
  }, 180_000);
});
