import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { expectQuietSuccess, hostTree, runFap } from "../../../test/harness.js";
import { useTestHosts } from "../../../test/three-hosts.js";

// How often the real `fap` binary reads the local tree: once on a first deploy, and on a
// redeploy only the files changed since the last upload from this machine (the hash cache).
const env = useTestHosts(1);
/** bench's preload: at exit it writes the bytes the process read (rchar) to $BENCH_PROBE_OUT. */
const PROBE = fileURLToPath(new URL("../../../bench/lib/probe.cjs", import.meta.url));

async function project(app: string): Promise<string> {
  return env.project({ "deploy.yml": `plugins: [upload]\nupload_dir: build\npath: /srv/www/${app}\nstage_role_configs:\n  production:\n    web:\n      hosts: [host1]\n` });
}

/** Deploys with the hash cache in the project (not the hosts' HOME, shared by the tests) and the read probe. */
async function deploy(dir: string) {
  const probe = path.join(dir, `probe-${Date.now()}.json`);
  const run = await runFap(env.hosts, dir, ["run", "deploy", "-s", "production"], { XDG_CACHE_HOME: path.join(dir, "cache"), NODE_OPTIONS: `--require=${PROBE}`, BENCH_PROBE_OUT: probe });
  const { readBytes } = JSON.parse(readFileSync(probe, "utf8")) as { readBytes: number };
  return { ...run, readBytes };
}

/** The cache trusts no file changed in the last 2 s (it could change again within one timestamp tick): the tests' trees are made older. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 2100));

describe("@fap/plugin-upload reads the local tree as little as it can", () => {
  it("reads each file once on a first deploy: it hashes what it sends while sending it", async () => {
    // What fap reads besides the tree (its own code, ssh replies): a deploy of a one-file tree.
    const small = await project("baseline");
    mkdirSync(path.join(small, "build"));
    writeFileSync(path.join(small, "build/one.txt"), "1\n");
    const baseline = await deploy(small);
    expect(baseline.code).toBe(0);
    const dir = await project("once");
    const files = 100;
    const each = 200 * 1024;
    for (let i = 0; i < files; i++) {
      mkdirSync(path.join(dir, `build/part${i % 5}`), { recursive: true });
      writeFileSync(path.join(dir, `build/part${i % 5}/blob${i}.bin`), randomBytes(each));
    }
    const run = await deploy(dir);
    expectQuietSuccess(run);
    // 20 MB of tree, read once; hashing first, then sending, reads it twice.
    expect(run.readBytes - baseline.readBytes).toBeGreaterThan(files * each);
    expect(run.readBytes - baseline.readBytes).toBeLessThan(files * each * 1.25);
  });

  it("on a redeploy, hashes only the files changed since the last upload from here, and sends a rewritten one however alike it looks", async () => {
    const dir = await project("cached");
    for (let i = 0; i < 40; i++) {
      mkdirSync(path.join(dir, `build/part${i % 4}`), { recursive: true });
      writeFileSync(path.join(dir, `build/part${i % 4}/file${i}.js`), `export const n = ${i};\n`);
    }
    writeFileSync(path.join(dir, "build/index.html"), "<h1>v1</h1>\n");
    await settle();
    const first = await deploy(dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^uploading 41 files \(\d+ B\) from build$/m);
    // Same size, same mtime (as rsync's quick check compares): only the inode's ctime tells.
    const index = path.join(dir, "build/index.html");
    const { atime, mtime } = statSync(index);
    writeFileSync(index, "<h1>v2</h1>\n");
    utimesSync(index, atime, mtime);
    const again = await deploy(dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^uploading 41 files \(\d+ B\) from build \(40 hashes cached\)$/m);
    expect(again.stdout).toMatch(/^host1 \| sent 1 file \(12 B\), hard-linked 40 unchanged files from [\w-]+ in/m);
    const tree = await hostTree(env.hosts, 0, "/srv/www/cached");
    expect(readFileSync(tree.local("current/index.html"), "utf8")).toBe("<h1>v2</h1>\n");
  });
});
