// Which Debian packages this machine lacks: shared by scripts/system-deps.mjs (what the e2e
// tests need) and bench/setup.mjs (what only the bench needs).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * The packages of `needs` (`{ what, pkg }`: `what` is a command on PATH or an absolute path
 * the package installs) whose `what` is missing, each named once.
 */
export function missingPackages(needs) {
  const present = (what) => (what.startsWith("/") ? existsSync(what) : spawnSync("sh", ["-c", 'command -v "$1"', "sh", what], { stdio: "ignore" }).status === 0);
  return [...new Set(needs.filter((need) => !present(need.what)).map((need) => need.pkg))];
}
