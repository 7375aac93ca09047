import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostTree, projectDir, runFap, startTestHosts, type TestHosts } from "../harness.js";

let hosts: TestHosts;
let bare: string;
const cleanups: Array<() => Promise<void>> = [];
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

beforeAll(async () => {
  hosts = await startTestHosts({ count: 2 });
  const source = await projectDir({ "index.html": "<h1>hi</h1>\n" });
  cleanups.push(source.cleanup);
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@fap.invalid", ...args], { cwd: source.dir });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "site");
  bare = path.join(source.dir, "site.git");
  execFileSync("git", ["clone", "-q", "--bare", source.dir, bare]);
});
afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
  await hosts?.stop();
});

async function empty(files: Record<string, string> = {}) {
  const p = await projectDir(files);
  cleanups.push(p.cleanup);
  return p.dir;
}

function typecheck(dir: string, files: string[]): Promise<{ code: number; out: string }> {
  const tsc = path.join(ROOT, "node_modules/typescript/bin/tsc");
  const args = ["--noEmit", "--strict", "--skipLibCheck", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--types", "node", ...files];
  return new Promise((resolve) => execFile(process.execPath, [tsc, ...args], { cwd: dir }, (error, stdout) => resolve({ code: error ? 1 : 0, out: stdout })));
}

describe("fap init", () => {
  it("writes a typed deploy.config.ts that deploys as written, and adds fap to package.json", async () => {
    const dir = await empty({ "package.json": `{\n  "name": "@acme/site",\n  "version": "1.0.0",\n  "devDependencies": { "typescript": "^5.0.0" }\n}\n` });
    const init = await runFap(hosts, dir, [
      "init", "--stages", "production,staging", "--hosts", "production=host1,host2", "--hosts", "staging.web=host2",
      "--plugins", "git", "--repo", bare, "--path", "/srv/www/%(app_name)s-%(stage)s",
    ]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/^wrote deploy\.config\.ts\nadded @fap\/cli, @fap\/plugin-git to devDependencies in package\.json\n/);
    const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
    expect(manifest).toEqual({
      name: "@acme/site",
      version: "1.0.0",
      devDependencies: { "@fap/cli": "^0.1.0", "@fap/plugin-git": "^0.1.0", typescript: "^5.0.0" },
    });
    const config = readFileSync(path.join(dir, "deploy.config.ts"), "utf8");
    expect(config).toContain(`app_name: "site",`);
    expect(config).toContain(`production: {\n      web: { hosts: ["host1", "host2"] },\n    },\n    staging: {\n      web: { hosts: ["host2"] },`);

    // npm install, as far as this repository's packages go.
    symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    // The commented example task compiles too, once uncommented.
    writeFileSync(
      path.join(dir, "with-task.ts"),
      config.replace('import { defineConfig } from "@fap/cli";', 'import { defineConfig, task } from "@fap/cli";').replace("  // tasks:", "  tasks:"),
    );
    const types = await typecheck(dir, ["deploy.config.ts", "with-task.ts"]);
    expect(types.code, types.out).toBe(0);

    const deploy = await runFap(hosts, dir, ["run", "deploy", "-s", "production"]);
    expect(deploy.code, deploy.stderr).toBe(0);
    for (const i of [0, 1]) {
      const tree = await hostTree(hosts, i, "/srv/www/site-production");
      expect(readFileSync(tree.local("current/index.html"), "utf8")).toBe("<h1>hi</h1>\n");
    }

    // A second init refuses to overwrite, and changes nothing.
    const again = await runFap(hosts, dir, ["init", "--hosts", "host9"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe("error: fap init: deploy.config.ts already exists here\nhint: pass --force to overwrite it, or edit it\n");
    expect(readFileSync(path.join(dir, "deploy.config.ts"), "utf8")).toBe(config);
  });

  it("--yaml writes Fapistrano's deploy.yml, and in a folder without package.json no package.json but the pinned npx line; --force overwrites", async () => {
    const dir = await empty();
    const init = await runFap(hosts, dir, ["init", "--yaml", "--name", "seedy", "--hosts", "host1", "--path", "/srv/www/seedy"]);
    expect(init.code, init.stderr).toBe(0);
    expect(readFileSync(path.join(dir, "deploy.yml"), "utf8")).toBe(
      "# Written by fap init. Every key: docs/config.md\napp_name: seedy\npath: /srv/www/seedy\nstage_role_configs:\n  production:\n    web:\n      hosts:\n        - host1\n",
    );
    // A Python app's repository gets no package.json: fap runs with npx, pinned (docs/install.md).
    expect(existsSync(path.join(dir, "package.json"))).toBe(false);
    expect(init.stdout).toContain("next:\n  npx -p @fap/cli@0.1.0 fap doctor -s production\n  npx -p @fap/cli@0.1.0 fap run deploy -s production\n");
    const deploy = await runFap(hosts, dir, ["run", "deploy", "-s", "production"]);
    expect(deploy.code, deploy.stderr).toBe(0);
    expect((await hostTree(hosts, 0, "/srv/www/seedy")).current).toMatch(/^releases\//);

    const forced = await runFap(hosts, dir, ["init", "--yaml", "--force", "--name", "seedy", "--hosts", "host1,host2", "--roles", "web,worker"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(path.join(dir, "deploy.yml"), "utf8")).toMatch(/worker:\n {6}hosts:\n {8}- host1\n {8}- host2\n$/);
  });

  it("without a terminal, asks nothing and says which flag is missing", async () => {
    const dir = await empty();
    mkdirSync(path.join(dir, "sub"));
    writeFileSync(path.join(dir, "sub", "x"), "");
    const run = await runFap(hosts, dir, ["init", "--plugins", "git"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: fap init: no hosts for production\.web\nhint: pass --hosts/);
  });
});
