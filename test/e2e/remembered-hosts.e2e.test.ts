import { mkdtemp, readFile, readlink, rm, stat, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runFap } from "../harness.js";
import { useTestHosts } from "../three-hosts.js";

// A flow connects to the hosts the last run like it connected to before it reads its config
// (packages/cli/src/remembered-connect.ts, docs/performance.md): a guess, which the config then
// confirms or not. These runs watch for that connection from inside the config as it loads.

const testHosts = useTestHosts(2);
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "fap-remembered-"));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/**
 * A deploy.config.mjs naming `host` that, while it loads, waits up to 1.5 s for a connection to
 * `watchPort` and appends y or n to `seenFile`. Same size for host1 and host2.
 */
const config = (host: string, watchPort: number, seenFile: string, updating = "true") => `import { appendFileSync, readFileSync } from "node:fs";
const hex = ":" + (${watchPort}).toString(16).toUpperCase().padStart(4, "0");
const open = () => ["/proc/net/tcp", "/proc/net/tcp6"].some((file) =>
  readFileSync(file, "utf8").split("\\n").some((line) => { const f = line.trim().split(/\\s+/); return f[2]?.endsWith(hex) && f[3] === "01"; }));
let seen = false;
for (const end = Date.now() + 1500; !seen && Date.now() < end; await new Promise((r) => setTimeout(r, 20))) seen = open();
appendFileSync(${JSON.stringify(seenFile)}, seen ? "y" : "n");
export default {
  app_name: "early",
  path: "/srv/www/early",
  hooks: { updating: ${JSON.stringify(updating)} },
  stage_role_configs: { production: { web: { hosts: [${JSON.stringify(host)}] } } },
};
`;

/** A project and its own cache folder; `deploy` runs `fap deploy -s production` in it. */
async function project(name: string, files: Record<string, string>) {
  const dir = await testHosts.project(files);
  const env = { FAP_CACHE_DIR: path.join(scratch, `cache-${name}`) };
  return { dir, env, deploy: (args: readonly string[] = []) => runFap(testHosts.hosts, dir, ["deploy", "-s", "production", ...args], env) };
}

/** The config rewritten with the same size and mtime: the cache cannot tell it changed. */
async function rewriteUnnoticed(file: string, text: string): Promise<void> {
  const before = await stat(file);
  expect(Buffer.byteLength(text)).toBe(before.size);
  await writeFile(file, text);
  // In seconds with their fraction: a Date would drop what is below the millisecond.
  await utimes(file, before.atimeMs / 1000, before.mtimeMs / 1000);
}

describe("connecting to the remembered hosts before the config is read", () => {
  it("the second run like the first is connected to its host while its config still loads", async () => {
    const [host1] = testHosts.hosts.hosts;
    const seen = path.join(scratch, "seen-second");
    const p = await project("second", { "deploy.config.mjs": config(host1!.alias, host1!.port, seen) });
    expect((await p.deploy()).code).toBe(0);
    const second = await p.deploy();
    expect(second.code, second.stderr).toBe(0);
    expect(await readFile(seen, "utf8")).toBe("ny");
  });

  it("a remembered host the config no longer names is closed unused; the run works on the config's hosts only", async () => {
    const [host1, host2] = testHosts.hosts.hosts;
    const seen = path.join(scratch, "seen-stale");
    // On host2, during the deploy: is fap's connection to host1 gone (within 5 s)?
    const hex = host1!.port.toString(16).toUpperCase().padStart(4, "0");
    const check = `s=open; for i in $(seq 100); do grep -q " 0100007F:${hex} 01 " /proc/net/tcp || { s=closed; break; }; sleep 0.05; done; echo $s > HOST1`;
    const p = await project("stale", { "deploy.config.mjs": config(host1!.alias, host1!.port, seen, check) });
    expect((await p.deploy()).code).toBe(0);
    await rewriteUnnoticed(path.join(p.dir, "deploy.config.mjs"), config(host2!.alias, host1!.port, seen, check));
    const before = await readlink(host1!.local("/srv/www/early/current"));
    const run = await p.deploy(["-v"]);
    expect(run.code, run.stderr).toBe(0);
    // host1 was connected to (a guess) while the config loaded, and then left alone.
    expect(await readFile(seen, "utf8")).toBe("ny");
    expect(await readFile(host2!.local("/srv/www/early/current/HOST1"), "utf8")).toBe("closed\n");
    expect(await readlink(host1!.local("/srv/www/early/current"))).toBe(before);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/host1/);
  });

  it("a remembered host that hangs, no longer named, neither delays the run nor shows up in it", async () => {
    const [host1, host2] = testHosts.hosts.hosts;
    const seen = path.join(scratch, "seen-hung");
    const p = await project("hung", { "deploy.config.mjs": config(host1!.alias, host1!.port, seen) });
    expect((await p.deploy()).code).toBe(0);
    await rewriteUnnoticed(path.join(p.dir, "deploy.config.mjs"), config(host2!.alias, host1!.port, seen));
    // sshd stopped: the kernel still accepts the TCP connection, nothing answers on it.
    process.kill(host1!.pid!, "SIGSTOP");
    try {
      const started = Date.now();
      const run = await p.deploy();
      expect(run.code, run.stderr).toBe(0);
      expect(await readFile(seen, "utf8")).toBe("ny");
      // Waiting for the guess would take its 20 s handshake timeout.
      expect(Date.now() - started).toBeLessThan(12_000);
      expect(`${run.stdout}${run.stderr}`).not.toMatch(/host1|abandoned/);
    } finally {
      process.kill(host1!.pid!, "SIGCONT");
    }
  });

  it("a host named by a secret is not remembered", async () => {
    const [host1] = testHosts.hosts.hosts;
    const p = await project("secret", {
      "deploy.yml": `app_name: early\npath: /srv/www/early-secret\nstage_role_configs:\n  production:\n    web:\n      hosts: [env:FAP_TEST_EARLY_HOST]\n`,
    });
    const run = await runFap(testHosts.hosts, p.dir, ["deploy", "-s", "production"], { ...p.env, FAP_TEST_EARLY_HOST: host1!.alias });
    expect(run.code, run.stderr).toBe(0);
    const cache = await readFile(path.join(p.env.FAP_CACHE_DIR, "early-hosts.json"), "utf8").catch(() => "");
    expect(cache).not.toContain(host1!.alias);
  });

  it("a remembered host whose key left known_hosts is still accepted with --accept-new-host-keys", async () => {
    const [host1] = testHosts.hosts.hosts;
    const p = await project("new-key", { "deploy.config.mjs": config(host1!.alias, host1!.port, path.join(scratch, "seen-new-key")) });
    expect((await p.deploy()).code).toBe(0);
    const knownHosts = testHosts.hosts.knownHostsPath;
    const original = await readFile(knownHosts, "utf8");
    try {
      await writeFile(knownHosts, original.split("\n").filter((line) => !line.includes(`]:${host1!.port} `)).join("\n"));
      const run = await p.deploy(["--accept-new-host-keys"]);
      expect(run.code, run.stderr).toBe(0);
      expect(await readFile(knownHosts, "utf8")).toContain(`]:${host1!.port} `);
    } finally {
      await writeFile(knownHosts, original);
    }
  });
});
