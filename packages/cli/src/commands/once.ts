import { FapError, once } from "@fap/core";
import type { CommonOptions } from "../common-options.js";
import { attachHumanReporter } from "../human-reporter.js";
import { prepareRun } from "../session-options.js";
import { interruptedOr, onInterrupt } from "../signals.js";

/** `fap once -c CMD`: one command in `current` on every selected host. */
export async function runOnce(command: string | undefined, common: CommonOptions, extraArgs: readonly string[]): Promise<void> {
  if (!command) throw new FapError("E_USAGE", "fap once needs a command", { hint: "fap once -s STAGE -c 'CMD'" });
  const { options, connector, redact } = await prepareRun(common, extraArgs, (m) => process.stderr.write(`warning: ${m}\n`));
  const reporter = attachHumanReporter(options.fap.events, { out: process.stdout, verbose: common.verbose ?? false, dryRun: common.dryRun ?? false });
  const interrupt = onInterrupt((message) => process.stderr.write(`\n${message}\n`), () => void connector.close());
  try {
    await once({ ...options, signal: interrupt.signal }, command);
    reporter.summary("once: done");
  } catch (error) {
    reporter.summary("once: failed");
    throw redact(interruptedOr(error, interrupt.signal));
  } finally {
    interrupt.dispose();
    await connector.close();
  }
}
