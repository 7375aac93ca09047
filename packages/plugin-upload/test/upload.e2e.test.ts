import { execFileSync } from "node:child_process";
import { chmodSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { errorLines, expectQuietSuccess, hostTree, runFap } from "../../../test/harness.js";
import { useTestHosts } from "../../../test/three-hosts.js";

// The real `fap` binary ships a local build folder to three real sshd hosts with
// @fap/plugin-upload; what the hosts hold is checked file by file, inode by inode.
const env = useTestHosts(3);
const FILES = 40;

/** A CI-style build folder in `dir`/build: FILES files in folders, a script, an in-tree symlink. */
function writeBuild(dir: string, name = "build"): string {
  const build = path.join(dir, name);
  for (let i = 0; i < FILES; i++) {
    const file = path.join(build, `assets/part${i % 4}/file${i}.js`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `export const n = ${i};\n`);
  }
  mkdirSync(path.join(build, "bin"), { recursive: true });
  writeFileSync(path.join(build, "bin/start"), "#!/bin/sh\necho started\n");
  chmodSync(path.join(build, "bin/start"), 0o750);
  writeFileSync(path.join(build, "index.html"), "<h1>v1</h1>\n");
  symlinkSync("assets/part0/file0.js", path.join(build, "main.js"));
  return build;
}

async function project(app: string, keys = "upload_dir: build\n"): Promise<string> {
  const dir = await env.project({
    "deploy.yml": `plugins: [upload]
path: /srv/www/${app}
${keys}stage_role_configs:
  production:
    web:
      hosts: [host1, host2, host3]
`,
  });
  writeBuild(dir);
  return dir;
}

const deploy = (dir: string, ...args: string[]) => runFap(env.hosts, dir, ["run", "deploy", "-s", "production", ...args]);

/** Every regular file of the local build, relative. */
function filesOf(build: string): string[] {
  return execFileSync("find", [".", "-type", "f"], { cwd: build, encoding: "utf8" }).split("\n").filter(Boolean).map((f) => f.slice(2)).sort();
}

async function releasesOf(app: string, index: number) {
  const tree = await hostTree(env.hosts, index, `/srv/www/${app}`);
  const release = (id: string, file: string) => tree.local(`releases/${id}/${file}`);
  return { ...tree, release };
}

describe("@fap/plugin-upload against three real hosts", () => {
  it("ships the folder to every host, with modes and in-tree symlinks, and a manifest", async () => {
    const dir = await project("first");
    const run = await deploy(dir);
    expectQuietSuccess(run);
    expect(run.stdout).toMatch(/^uploading 42 files \(\d+ B\) from build$/m);
    const build = path.join(dir, "build");
    for (let i = 0; i < 3; i++) {
      const tree = await releasesOf("first", i);
      expect(run.stdout).toMatch(new RegExp(`^host${i + 1} \\| sent 42 files \\(\\d+ B\\) in \\d+\\.\\d\\d s$`, "m"));
      const id = tree.releases.at(-1)!;
      for (const file of filesOf(build)) expect(readFileSync(tree.release(id, file), "utf8"), file).toBe(readFileSync(path.join(build, file), "utf8"));
      expect(statSync(tree.release(id, "bin/start")).mode & 0o777).toBe(0o750);
      expect(readlinkSync(tree.release(id, "main.js"))).toBe("assets/part0/file0.js");
      expect(readFileSync(tree.release(id, ".fap-upload-manifest"), "utf8")).toMatch(/^# fap-upload-manifest 1\n/);
      expect(tree.log.at(-1)?.upload_manifest).toMatch(/^[0-9a-f]{64}$/);
    }
    // The hosts run what was shipped.
    expect(await env.hosts.hosts[0]!.exec("/srv/www/first/current/bin/start")).toMatchObject({ stdout: "started\n" });
  });

  it("redeploys one changed file: the others are hard links of the previous release's (same inode)", async () => {
    const dir = await project("delta");
    expect((await deploy(dir)).code).toBe(0);
    writeFileSync(path.join(dir, "build/index.html"), "<h1>v2</h1>\n");
    const run = await deploy(dir);
    expect(run.code).toBe(0);
    for (let i = 0; i < 3; i++) {
      expect(run.stdout).toMatch(new RegExp(`^host${i + 1} \\| sent 1 file \\(12 B\\), hard-linked 41 unchanged files from [\\w-]+ in`, "m"));
      const tree = await releasesOf("delta", i);
      const [before, after] = tree.releases.slice(-2) as [string, string];
      for (const file of filesOf(path.join(dir, "build"))) {
        const old = statSync(tree.release(before, file));
        const now = statSync(tree.release(after, file));
        if (file === "index.html") {
          expect(now.ino, file).not.toBe(old.ino);
          expect(readFileSync(tree.release(after, file), "utf8")).toBe("<h1>v2</h1>\n");
          expect(readFileSync(tree.release(before, file), "utf8")).toBe("<h1>v1</h1>\n");
        } else {
          expect(now.ino, file).toBe(old.ino);
          expect(now.nlink, file).toBe(2);
        }
      }
      // A changed mode is a change: a link would change the old release's mode too.
    }
    // Rollback goes back to the previous release, whose files are whole.
    const back = await runFap(env.hosts, dir, ["rollback", "-s", "production"]);
    expect(back.code).toBe(0);
    for (let i = 0; i < 3; i++) {
      const tree = await releasesOf("delta", i);
      expect(readFileSync(tree.local("current/index.html"), "utf8")).toBe("<h1>v1</h1>\n");
      expect(readFileSync(tree.local("current/assets/part1/file1.js"), "utf8")).toBe("export const n = 1;\n");
    }
  });

  it("sends each host what it lacks: everything to one without the previous release or with a garbled manifest", async () => {
    const dir = await project("lacking");
    expect((await deploy(dir)).code).toBe(0);
    const host2 = await releasesOf("lacking", 1);
    writeFileSync(host2.local("current/.fap-upload-manifest"), "# fap-upload-manifest 1\n[\"f\", cut here");
    rmSync(env.hosts.hosts[2]!.local("/srv/www/lacking"), { recursive: true, force: true });
    chmodSync(path.join(dir, "build/bin/start"), 0o755);
    const run = await deploy(dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^host1 \| sent 1 file \(\d+ B\), hard-linked 41 unchanged files from [\w-]+ in/m);
    expect(run.stdout).toMatch(/^host2 \| [\w-]+ has no readable upload manifest: sending every file$/m);
    expect(run.stdout).toMatch(/^host2 \| sent 42 files \(\d+ B\) in/m);
    expect(run.stdout).toMatch(/^host3 \| sent 42 files \(\d+ B\) in/m);
    const host1 = await releasesOf("lacking", 0);
    const [before, after] = host1.releases.slice(-2) as [string, string];
    // The mode changed, so bin/start was sent, not linked: the old release keeps 0750.
    expect(statSync(host1.release(after, "bin/start")).mode & 0o777).toBe(0o755);
    expect(statSync(host1.release(before, "bin/start")).mode & 0o777).toBe(0o750);
    for (let i = 0; i < 3; i++) {
      const tree = await releasesOf("lacking", i);
      expect(readFileSync(tree.local("current/assets/part3/file39.js"), "utf8")).toBe("export const n = 39;\n");
    }
  });

  it("ships an archive (.tgz), and leaves out what upload_exclude names", async () => {
    const dir = await project("archive", "upload_archive: site.tgz\nupload_exclude: ['*.map', /bin]\n");
    writeFileSync(path.join(dir, "build/assets/app.js.map"), "{}");
    execFileSync("tar", ["-czf", path.join(dir, "site.tgz"), "-C", path.join(dir, "build"), "."]);
    const run = await deploy(dir);
    expectQuietSuccess(run);
    for (let i = 0; i < 3; i++) {
      const tree = await releasesOf("archive", i);
      expect(readFileSync(tree.local("current/index.html"), "utf8")).toBe("<h1>v1</h1>\n");
      expect(lstatSync(tree.local("current/main.js")).isSymbolicLink()).toBe(true);
      expect(() => lstatSync(tree.local("current/assets/app.js.map"))).toThrow(/ENOENT/);
      expect(() => lstatSync(tree.local("current/bin"))).toThrow(/ENOENT/);
    }
    expect(run.stdout).toMatch(/^uploading 41 files .* from site\.tgz/m);
  });

  it("refuses a symlink pointing outside the folder, in one line, before any host is touched", async () => {
    const dir = await project("outside");
    symlinkSync("../../etc/passwd", path.join(dir, "build/assets/passwd"));
    const run = await deploy(dir);
    expect(run.code).toBe(2);
    expect(errorLines(run)).toEqual(["error: [fap:upload] building: symlink assets/passwd -> ../../etc/passwd points outside the upload; in the release it would point outside the release"]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect((await releasesOf("outside", 0)).releases).toEqual([]);
  });

  it("says which upload_dir is missing, in one line", async () => {
    const dir = await project("missing", "upload_dir: dist\n");
    const run = await deploy(dir);
    expect(run.code).toBe(2);
    expect(errorLines(run)).toEqual(["error: [fap:upload] building: upload_dir dist is not a folder (it does not exist)"]);
    expect(run.stderr).toMatch(/^hint: build first, or set upload_dir: to the folder to ship/m);
  });

  it("under --dry-run says what each host would be sent, and sends nothing", async () => {
    const dir = await project("dry");
    expect((await deploy(dir)).code).toBe(0);
    writeFileSync(path.join(dir, "build/index.html"), "<h1>v3</h1>\n");
    const before = await releasesOf("dry", 0);
    const run = await deploy(dir, "--dry-run");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^would upload 42 files/m);
    expect(run.stdout).toMatch(/^host1 \| would send 1 file \(12 B\), hard-linked 41 unchanged files from [\w-]+ from build$/m);
    expect((await releasesOf("dry", 0)).releases).toEqual(before.releases);
  });
});
