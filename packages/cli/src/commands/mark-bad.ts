import { FapError, isValidReleaseId, markBad } from "@fap/core/internal";
import type { CommonOptions } from "../common-options.js";
import { prepareRun, warnOnStderr } from "../session-options.js";
import { interruptedOr, onInterrupt } from "../signals.js";

/**
 * `fap releases -s STAGE --mark-bad ID`: marks a release `bad` on every selected host holding
 * it, under the deploy lock (--lock-wait waits for another run's), so no rollback chooses it.
 */
export async function runMarkBad(id: string, common: CommonOptions, extraArgs: readonly string[]): Promise<void> {
  if (!isValidReleaseId(id)) {
    throw new FapError("E_USAGE", `--mark-bad ${id}: not a release id`, { hint: "fap releases -s STAGE lists the release ids of each host" });
  }
  const { options, connector, redact } = await prepareRun(common, extraArgs, warnOnStderr);
  // Waiting for the lock says so (who holds it, then every ~10 s); no other event is shown.
  options.fap.events.on("log", (e) => process.stderr.write(`${e.level === "warn" ? "warning: " : ""}${e.host ? `${e.host}: ` : ""}${e.message}\n`));
  const interrupt = onInterrupt((message) => process.stderr.write(`\n${message}\n`), () => void connector.close());
  try {
    const result = await markBad({ ...options, signal: interrupt.signal }, id).catch((error: unknown) => {
      throw redact(interruptedOr(error, interrupt.signal));
    });
    process.stdout.write(`marked ${id} bad on ${result.marked.join(", ")}: no rollback will choose it\n`);
    if (result.absent.length > 0) process.stdout.write(`not held by ${result.absent.join(", ")}: nothing written there\n`);
    if (result.live.length > 0) {
      warnOnStderr(`${id} is live on ${result.live.join(", ")} and stays live: leave it with fap rollback -s ${common.stage ?? "STAGE"} or a new deploy`);
    }
  } finally {
    interrupt.dispose();
    await connector.close();
  }
}
