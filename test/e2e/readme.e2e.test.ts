import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHosts, type TestHosts } from "../harness.js";

/**
 * Runs the README's quick start, line by line, as a user would: every `sh` line of that section
 * is run (or, for `npm install`, mirrored: the packages are this repository's workspaces, linked
 * instead of downloaded), against two hosts named as in the README (app-web01, app-web02), with
 * a local bare repository standing in for git@git.example.com:owner/myapp.git. The config
 * shown in the README must be exactly what `fap init` writes.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const NODE_MODULES = path.join(ROOT, "node_modules");
const README_REPO = "git@git.example.com:owner/myapp.git";
const DEPLOY_PATH = "/home/root/www/myapp";

interface QuickStart {
  commands: string[];
  ts: string;
  yaml: string;
}

function quickStart(): QuickStart {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = /^## Quick start\n([\s\S]*?)^## /m.exec(readme)?.[1];
  if (!section) throw new Error("README.md has no '## Quick start' section");
  const blocks = [...section.matchAll(/^```(\w+)\n([\s\S]*?)^```/gm)].map((m) => ({ lang: m[1]!, text: m[2]! }));
  const commands = blocks
    .filter((b) => b.lang === "sh")
    .flatMap((b) => b.text.split("\n"))
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  const one = (lang: string) => {
    const found = blocks.filter((b) => b.lang === lang);
    expect(found, `one ${lang} block in the quick start`).toHaveLength(1);
    return found[0]!.text;
  };
  return { commands, ts: one("ts"), yaml: one("yaml") };
}

/** Shell words, as sh splits them: enough for the README's lines (spaces and single quotes). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated quote in: ${line}`);
      word = (word ?? "") + line.slice(i + 1, end);
      i = end;
    } else if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (/[;&|<>$`"\\]/.test(ch)) {
      throw new Error(`the quick start test does not run shell syntax like '${ch}': ${line}`);
    } else word = (word ?? "") + ch;
  }
  if (word !== undefined) words.push(word);
  return words;
}

function run(cwd: string, args: string[], env: Record<string, string>, stdin = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // What `npx fap` runs: the project's own node_modules/.bin/fap.
    const child = spawn(process.execPath, [path.join(cwd, "node_modules/.bin/fap"), ...args], { cwd, env: { ...process.env, ...env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

let hosts: TestHosts;
let work: string;
let bare: string;
let sha: string;

beforeAll(async () => {
  // The README's host names, each with its own /home, where fap's default path puts the app.
  hosts = await startTestHosts({ count: 2, prefix: "app-web0", mountPoint: "/home" });
  work = mkdtempSync(path.join(os.tmpdir(), "fap-readme-"));
  const checkout = path.join(work, "checkout");
  mkdirSync(checkout);
  writeFileSync(path.join(checkout, "app.py"), "print('hello')\n");
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=readme", "-c", "user.email=readme@fap.invalid", ...args], { cwd: checkout, encoding: "utf8" }).trim();
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "myapp");
  sha = git("rev-parse", "HEAD");
  bare = path.join(work, "myapp.git");
  execFileSync("git", ["clone", "-q", "--bare", checkout, bare]);
});
afterAll(async () => {
  await hosts?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("README quick start", () => {
  it("the config shown for --yaml is what fap init --yaml writes", async () => {
    const { commands, yaml } = quickStart();
    const init = commands.find((c) => c.startsWith("npx fap init "))!;
    const dir = mkdtempSync(path.join(work, "yaml-"));
    symlinkSync(NODE_MODULES, path.join(dir, "node_modules"));
    const result = await run(dir, [...shellWords(init).slice(2), "--yaml"], hosts.env);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(path.join(dir, "deploy.yml"), "utf8")).toBe(yaml);
  });

  it("runs every command, in order, against the hosts", async () => {
    const { commands, ts } = quickStart();
    const project = path.join(work, "myapp");
    mkdirSync(project);
    const deployed = () => hosts.hosts.map((h) => (existsSync(h.local(`${DEPLOY_PATH}/current`)) ? readlinkSync(h.local(`${DEPLOY_PATH}/current`)) : undefined));
    const ran: string[] = [];
    let deploys = 0;
    let firstRelease: string | undefined;

    for (const line of commands) {
      const words = shellWords(line).map((w) => (w === README_REPO ? bare : w));
      ran.push(line);
      if (words[0] === "npm") {
        expect(words.slice(0, 2), line).toEqual(["npm", "install"]);
        const wanted = words.slice(2).filter((w) => !w.startsWith("-"));
        if (wanted.length > 0) {
          // npm install --save-dev PKG: the package.json npm would write, and the packages linked.
          expect(words).toContain("--save-dev");
          const manifest = { name: "myapp", private: true, devDependencies: Object.fromEntries(wanted.map((p) => [p, "^0.1.0"])) };
          writeFileSync(path.join(project, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
          symlinkSync(NODE_MODULES, path.join(project, "node_modules"));
        }
        // npm install: everything package.json lists must be one of our packages, installable here.
        const manifest = JSON.parse(readFileSync(path.join(project, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
        for (const name of Object.keys(manifest.devDependencies)) {
          expect(existsSync(path.join(project, "node_modules", name, "package.json")), `${line}: ${name}`).toBe(true);
        }
        continue;
      }
      expect(words.slice(0, 2), `only npm and npx fap lines are expected: ${line}`).toEqual(["npx", "fap"]);
      const args = words.slice(2);
      const before = deployed();
      const result = await run(project, args, hosts.env, args[0] === "shell" ? "cat REVISION; exit\n" : "");
      expect(result.code, `${line}\n${result.stdout}\n${result.stderr}`).toBe(0);
      const out = result.stdout;
      switch (args[0]) {
        case "init":
          expect(readFileSync(path.join(project, "deploy.config.ts"), "utf8").split(bare).join(README_REPO)).toBe(ts);
          expect(JSON.parse(readFileSync(path.join(project, "package.json"), "utf8")).devDependencies).toEqual({
            "@fap/cli": "^0.1.0",
            "@fap/plugin-git": "^0.1.0",
          });
          break;
        case "doctor":
          expect(out).toMatch(/app-web01 \(production\.web\)\n {2}✓ connect +connects as root@127\.0\.0\.1:\d+ with key /);
          expect(out).toMatch(/✓ git +git is \//);
          expect(out).toMatch(/all 2 hosts ready/);
          break;
        case "run":
          if (args.includes("--dry-run")) {
            expect(out).toMatch(/app-web02 \| \$ .*mv -T/);
            expect(deployed()).toEqual(before);
            expect(existsSync(hosts.hosts[0]!.local(DEPLOY_PATH))).toBe(false);
          } else {
            deploys++;
            const now = deployed();
            expect(now.every((c) => c?.startsWith("releases/"))).toBe(true);
            expect(now).not.toEqual(before);
            firstRelease ??= now[0];
            expect(out).toMatch(new RegExp(`app-web01 +\\S+ +ok +${sha.slice(0, 12)}`));
          }
          break;
        case "status":
          expect(out).toMatch(new RegExp(`app-web01 +production\\.web +\\S+ +${sha.slice(0, 12)}`));
          break;
        case "releases":
          expect(out.match(/← current/g)).toHaveLength(2);
          expect(out).toContain(sha.slice(0, 12));
          break;
        case "rollback":
          expect(deployed()).toEqual([firstRelease, firstRelease]);
          break;
        case "once":
        case "shell":
          expect(out).toContain(sha);
          break;
        case "tasks":
          expect(out).toMatch(/^deploy +deploy a new release/m);
          break;
        case "config":
          expect(out).toMatch(/^app-web01 \(production\.web, primary, root@127\.0\.0\.1:\d+\)$/m);
          expect(out).toMatch(new RegExp(`^ {2}path +${DEPLOY_PATH} +default$`, "m"));
          break;
        case "restart":
          expect(out).toMatch(/restart \w+: done/);
          break;
        default:
          throw new Error(`the README runs a command this test does not check: ${line}`);
      }
    }
    expect(deploys).toBe(2);
    expect(ran.length).toBe(commands.length);
  }, 120_000);
});
