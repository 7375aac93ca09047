import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Debian's python3: the hosts' `python3`, with setuptools and wheel for building test wheels offline. */
const PYTHON = "/usr/bin/python3";

/** This machine has a pip config of its own (find-links, extra indexes): the tests use none of it. */
function pipEnv(): NodeJS.ProcessEnv {
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

export { linkPlugins } from "../../../test/harness.js";
