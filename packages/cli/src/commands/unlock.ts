import { FapError, status, unlock } from "@fap/core/internal";
import { keepRunningIfPipesClose } from "../closed-pipes.js";
import type { CommonOptions } from "../common-options.js";
import { prepareRun, warnOnStderr } from "../session-options.js";
import { printStatus } from "./status.js";

/** `fap unlock -s STAGE [--force]`: frees a stale deploy lock, after showing who holds it. */
export async function runUnlock(force: boolean, common: CommonOptions, extraArgs: readonly string[]): Promise<void> {
  keepRunningIfPipesClose();
  const { options, connector } = await prepareRun(common, extraArgs, warnOnStderr);
  try {
    const report = await status(options);
    const locked = report.hosts.filter((h) => h.state.lock);
    if (locked.length === 0) {
      process.stdout.write("no host is locked\n");
      return;
    }
    printStatus({ ...report, hosts: locked, drift: [] }, process.stdout);
    if (!force && !(await confirm(`free the lock on ${locked.length} host(s)? [y/N] `))) {
      throw new FapError("E_USAGE", "the lock was left in place", {
        hint: "if no deploy is running, run fap unlock again and answer y, or pass --force",
      });
    }
    await unlock(options);
    process.stdout.write(`freed the lock on ${locked.map((h) => h.host).join(", ")}\n`);
  } finally {
    await connector.close();
  }
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  // Imported here: the one file every fap command loads would load readline too.
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
