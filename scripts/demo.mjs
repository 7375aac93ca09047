#!/usr/bin/env node
// npm run demo: starts three local SSH hosts with @fap/testing and deploys examples/smallest
// to them with the real fap binary, then shows what each host holds.
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readlinkSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startTestHosts } from "@fap/testing";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const example = path.join(root, "examples/smallest");
const fapBin = path.join(root, "packages/cli/bin/fap.js");
const keep = process.argv.includes("--keep");

const work = mkdtempSync(path.join(os.tmpdir(), "fap-demo-"));
const hosts = await startTestHosts({ count: 3 });
try {
  const { bare: repo, commit } = makeRepository(path.join(example, "source"), work);
  for (const host of hosts.hosts) {
    const settings = host.local("/srv/www/smallest/shared/app/settings/production.py");
    mkdirSync(path.dirname(settings), { recursive: true });
    writeFileSync(settings, `SECRET_KEY = "kept in shared/ on ${host.alias}, never in git"\n`);
  }
  const fap = (...args) => {
    console.log(`\n$ fap ${args.join(" ")}`);
    const run = spawnSync(process.execPath, [fapBin, ...args], { cwd: example, env: { ...process.env, ...hosts.env }, stdio: "inherit" });
    if (run.status !== 0) throw new Error(`fap ${args[0]} exited with ${run.status}`);
  };
  fap("run", "deploy", "-s", "production", `--repo=${repo}`);
  commit("A second version");
  fap("run", "deploy", "-s", "production", `--repo=${repo}`);
  fap("rollback", "-s", "production");

  console.log(`\nWhat each host holds now${keep ? "" : " (removed when the demo exits; npm run demo -- --keep keeps the hosts)"}:`);
  for (const host of hosts.hosts) {
    const base = host.local("/srv/www/smallest");
    const current = readlinkSync(path.join(base, "current"));
    console.log(`  ${host.alias}: ${base}`);
    console.log(`    current -> ${current}; releases: ${readdirSync(path.join(base, "releases")).join(", ")}`);
    console.log(`    ${execFileSync("python3", [path.join(base, "current/app/main.py")], { encoding: "utf8" }).trim()}`);
    console.log(`    release log: ${path.join(base, ".fap/releases.log")}`);
  }
  if (keep) {
    console.log(`\nHosts keep running until Ctrl-C. Look around with:\n  HOME=${hosts.home} ssh host1 ls -l /srv/www/smallest`);
    await new Promise((resolve) => process.once("SIGINT", resolve));
  }
} finally {
  await hosts.stop();
  rmSync(work, { recursive: true, force: true });
}

function makeRepository(source, dir) {
  const checkout = path.join(dir, "checkout");
  cpSync(source, checkout, { recursive: true });
  const git = (...args) => execFileSync("git", ["-c", "user.name=fap demo", "-c", "user.email=demo@fap.invalid", ...args], { cwd: checkout, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "The smallest app");
  const bare = path.join(dir, "smallest.git");
  execFileSync("git", ["clone", "-q", "--bare", checkout, bare]);
  const commit = (message) => {
    appendFileSync(path.join(checkout, "README.md"), `\n${message}\n`);
    git("commit", "-q", "-am", message);
    git("push", "-q", bare, "main");
  };
  return { bare, commit };
}
