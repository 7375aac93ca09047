import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { FapError } from "@fap/core/internal";
import { gatherAnswers, type Ask, type InitFlags } from "../init-answers.js";
import { configTs, configYaml, pinnedNpx, pluginPackage, updatePackageJson } from "../init-templates.js";
import { SEARCH_PLACES } from "../load-config.js";
import { fapVersion } from "../version.js";

export interface InitOptions extends InitFlags {
  yaml?: boolean;
  force?: boolean;
  /** Take defaults instead of asking. */
  yes?: boolean;
}

/**
 * `fap init`: writes deploy.config.ts (or deploy.yml with --yaml), and adds @fap/cli and the
 * plugins to package.json (with --yaml, only to a package.json already there: without one it
 * prints the pinned `npx -p` line instead). In a terminal and without flags it asks; with
 * flags, or without a terminal, it takes defaults for what the flags leave out. Refuses to
 * overwrite a config without --force.
 */
export async function runInit(flags: InitOptions, cwd = process.cwd()): Promise<void> {
  const file = flags.yaml ? "deploy.yml" : "deploy.config.ts";
  const target = path.join(cwd, file);
  const existing = existingConfigs(cwd);
  if (existing.length > 0 && !flags.force) {
    throw new FapError("E_USAGE", `fap init: ${existing.join(", ")} already exists here`, { hint: "pass --force to overwrite it, or edit it" });
  }
  // A config found before ours would be the one fap loads: writing ours would change nothing.
  const shadowing = existing.filter((name) => SEARCH_PLACES.indexOf(name) < SEARCH_PLACES.indexOf(file));
  if (shadowing.length > 0) {
    throw new FapError("E_USAGE", `fap init: ${shadowing.join(", ")} would be loaded instead of ${file}`, { hint: `remove ${shadowing.join(", ")} first` });
  }

  // Flags mean a script (or a user who knows what they want): ask only a person who gave none.
  const given = (["name", "stages", "roles", "hosts", "plugins", "repo", "path"] as const).some((flag) => flags[flag] !== undefined);
  const interactive = !flags.yes && !given && Boolean(process.stdin.isTTY) && Boolean(process.stdout.isTTY);
  // Imported here: the one file every fap command loads would load readline too.
  const rl = interactive ? (await import("node:readline/promises")).createInterface({ input: process.stdin, output: process.stdout }) : undefined;
  const ask: Ask | undefined = rl ? (question) => rl.question(question) : undefined;
  let answers;
  try {
    answers = await gatherAnswers(flags, { appName: defaultAppName(cwd), repo: originUrl(cwd) }, ask);
  } catch (error) {
    // Ctrl-D (or Ctrl-C) at a question: the person stopped, nothing went wrong in fap.
    if ((error as { code?: unknown }).code === "ABORT_ERR") {
      throw new FapError("E_USAGE", "fap init: stopped before every question was answered", { hint: "run fap init again, or give the answers as flags (fap init --help)" });
    }
    throw error;
  } finally {
    rl?.close();
  }

  const packagePath = path.join(cwd, "package.json");
  const packageText = existsSync(packagePath) ? readFileSync(packagePath, "utf8") : undefined;
  let change;
  try {
    change = updatePackageJson(packageText, answers, fapVersion());
  } catch (error) {
    throw new FapError("E_USAGE", `fap init: package.json cannot be read: ${(error as Error).message}`, { hint: "fix package.json, then run fap init again" });
  }
  // deploy.yml in a folder that is no Node project (a Python app): fap runs with npx, pinned, and
  // the repository gets no package.json it has no other use for. See docs/install.md.
  const withoutNode = flags.yaml === true && packageText === undefined;
  writeFileSync(target, flags.yaml ? configYaml(answers) : configTs(answers));
  if (!withoutNode && (packageText === undefined || change.added.length > 0)) writeFileSync(packagePath, change.text);

  const out = process.stdout;
  const stage = answers.stages[0]!;
  out.write(`wrote ${file}\n`);
  if (withoutNode) {
    const npx = pinnedNpx(answers, fapVersion());
    out.write(`no package.json here: run fap with npx, pinned to this version (or npm install -g ${["@fap/cli", ...answers.plugins.map(pluginPackage)].join(" ")}):\n`);
    out.write(`next:\n  ${npx} doctor -s ${stage}\n  ${npx} run deploy -s ${stage}\n`);
    return;
  }
  if (change.added.length > 0) out.write(`added ${change.added.join(", ")} to devDependencies in package.json${packageText === undefined ? " (new)" : ""}\n`);
  out.write(`next:\n  npm install\n  npx fap doctor -s ${stage}\n  npx fap run deploy -s ${stage}\n`);
}

function existingConfigs(cwd: string): string[] {
  return SEARCH_PLACES.filter((name) => {
    const file = path.join(cwd, name);
    if (!existsSync(file)) return false;
    if (name !== "package.json") return true;
    try {
      return (JSON.parse(readFileSync(file, "utf8")) as { fap?: unknown }).fap !== undefined;
    } catch {
      return false;
    }
  });
}

function defaultAppName(cwd: string): string {
  try {
    const name = (JSON.parse(readFileSync(path.join(cwd, "package.json"), "utf8")) as { name?: unknown }).name;
    if (typeof name === "string" && name) return name.replace(/^@[^/]+\//, "");
  } catch {
    // No or unreadable package.json: the folder's name.
  }
  return path.basename(cwd).replace(/[^A-Za-z0-9._-]/g, "-").replace(/^[^A-Za-z0-9]+/, "") || "app";
}

function originUrl(cwd: string): string | undefined {
  try {
    return execFileSync("git", ["remote", "get-url", "origin"], { cwd, stdio: ["ignore", "pipe", "ignore"], encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}
