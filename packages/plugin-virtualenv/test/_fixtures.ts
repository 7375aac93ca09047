import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Debian's python3: the hosts' `python3`, with setuptools and wheel for building test wheels offline. */
export const PYTHON = "/usr/bin/python3";

/** This machine has a pip config of its own (find-links, extra indexes): the tests use none of it. */
export function pipEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PIP_CONFIG_FILE: "/dev/null" };
  for (const key of Object.keys(env)) if (key.startsWith("PIP_") && key !== "PIP_CONFIG_FILE") delete env[key];
  return env;
}

/** Builds the wheel of a one-module package `greeting` at `version` into `wheels`, offline. */
export function buildGreetingWheel(work: string, wheels: string, version: string): string {
  const src = path.join(work, `greeting-${version}`);
  mkdirSync(path.join(src, "greeting"), { recursive: true });
  writeFileSync(
    path.join(src, "pyproject.toml"),
    `[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "greeting"\nversion = "${version}"\n`,
  );
  writeFileSync(
    path.join(src, "greeting", "__init__.py"),
    `__version__ = "${version}"\n\n\ndef hello(revision):\n    return "hello " + __version__ + " from " + revision\n`,
  );
  execFileSync(PYTHON, ["-m", "pip", "wheel", "-q", "--no-index", "--no-build-isolation", "--no-deps", "-w", wheels, src], {
    env: pipEnv(),
    stdio: ["ignore", "ignore", "pipe"],
  });
  const wheel = path.join(wheels, `greeting-${version}-py3-none-any.whl`);
  if (!existsSync(wheel)) throw new Error(`no wheel at ${wheel}`);
  return wheel;
}

const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" };

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", ...args], { cwd, env: GIT_ENV, encoding: "utf8" }).trim();
}

/** A working repository and its bare clone (what the hosts deploy from). */
export function makeRepo(work: string, name: string) {
  const src = path.join(work, `${name}-src`);
  const bare = path.join(work, `${name}.git`);
  git(work, "init", "-q", "-b", "main", src);
  return {
    src,
    bare,
    /** Writes `files`, commits them on the checked-out branch and publishes; returns the sha. */
    commit(files: Record<string, string>, message = "change"): string {
      for (const [file, content] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(src, file)), { recursive: true });
        writeFileSync(path.join(src, file), content);
      }
      git(src, "add", "-A");
      git(src, "commit", "-q", "-m", message);
      if (!existsSync(bare)) git(work, "clone", "-q", "--bare", src, bare);
      else git(src, "push", "-q", "--force", "--all", bare);
      return git(src, "rev-parse", "HEAD");
    },
    /** Commits `files` on a new branch `name` made from main, publishes it and goes back to main. */
    branch(name: string, files: Record<string, string>): string {
      git(src, "checkout", "-q", "-b", name, "main");
      try {
        return this.commit(files, name);
      } finally {
        git(src, "checkout", "-q", "main");
      }
    },
  };
}

const PACKAGES = fileURLToPath(new URL("../..", import.meta.url));

/** Makes `dir` look like a project after `npm install` of these first-party plugins. */
export function linkPlugins(dir: string, names: readonly string[]): void {
  mkdirSync(path.join(dir, "node_modules/@fap"), { recursive: true });
  for (const name of names) symlinkSync(path.join(PACKAGES, name), path.join(dir, "node_modules/@fap", name));
}
