import { FapError, newDeployId, once } from "@fap/core/internal";
import { keepRunningIfPipesClose } from "../closed-pipes.js";
import type { CommonOptions } from "../common-options.js";
import type { OutputOptions } from "../output-options.js";
import { onUnfinished } from "../pending-work.js";
import { reportEarlyFailure, startRunOutput } from "../run-output.js";
import { prepareRun, warnOnStderr } from "../session-options.js";
import { interruptedOr, onInterrupt } from "../signals.js";
import { hostsServeSeveralTargets } from "../target-labels.js";

/** `fap once -c CMD`: one command in `current` on every selected host. */
export async function runOnce(command: string | undefined, common: CommonOptions & OutputOptions, extraArgs: readonly string[]): Promise<void> {
  if (!command) throw new FapError("E_USAGE", "fap once needs a command", { hint: "fap once -s STAGE -c 'CMD'" });
  keepRunningIfPipesClose();
  const early = { deployId: newDeployId(), flow: "once", options: common };
  // A run that never finishes still ends its --json stream (see unfinished-guard.ts).
  const stopEarly = onUnfinished((error) => reportEarlyFailure(early, error));
  const { options, connector, redact, redactText } = await prepareRun(common, extraArgs, warnOnStderr, { deployId: early.deployId }).catch((error: unknown) => {
    reportEarlyFailure(early, error);
    throw error;
  });
  stopEarly();
  const output = startRunOutput({ fap: options.fap, deployId: early.deployId, flow: "once", options: common, redactText, byTarget: hostsServeSeveralTargets(options) });
  onUnfinished((error) => output.failed("once: failed", redact(error)));
  const interrupt = onInterrupt((message) => process.stderr.write(`\n${message}\n`), () => void connector.close());
  try {
    await once({ ...options, signal: interrupt.signal }, command);
    output.done("once: done");
  } catch (error) {
    const shown = redact(interruptedOr(error, interrupt.signal));
    output.failed("once: failed", shown);
    throw shown;
  } finally {
    interrupt.dispose();
    await connector.close();
  }
}
