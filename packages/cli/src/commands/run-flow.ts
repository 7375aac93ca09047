import { newDeployId } from "@fap/core/internal";
import { keepRunningIfPipesClose } from "../closed-pipes.js";
import type { CommonOptions } from "../common-options.js";
import type { OutputOptions } from "../output-options.js";
import { onUnfinished } from "../pending-work.js";
import { reportEarlyFailure } from "../run-output.js";
import { namedFlow, runNamed } from "../run-named.js";
import { prepareRun, warnOnStderr } from "../session-options.js";
import { interruptedOr, onInterrupt } from "../signals.js";

/**
 * `fap run NAME` and its aliases `fap release`, `fap rollback`, `fap restart`: a built-in flow,
 * or a task of a plugin or of the config.
 */
export async function runFlow(name: string, common: CommonOptions & OutputOptions, extraArgs: readonly string[]): Promise<void> {
  keepRunningIfPipesClose();
  const { flow, task } = namedFlow(name);
  const early = { deployId: newDeployId(), flow, task, options: common };
  // A run that never finishes still ends its --json stream (see unfinished-guard.ts).
  const stopEarly = onUnfinished((error) => reportEarlyFailure(early, error));
  // The built-in flows connect to every selected host: they start while the plugins load.
  const connectEarly = task === undefined;
  const { options, connector, redact, redactText } = await prepareRun(common, extraArgs, warnOnStderr, { deployId: early.deployId, connectEarly }).catch((error: unknown) => {
    reportEarlyFailure(early, error);
    throw error;
  });
  stopEarly();
  const interrupt = onInterrupt((message) => process.stderr.write(`\n${message}\n`), () => void connector.close());
  try {
    await runNamed(name, { ...options, deployId: early.deployId }, {
      output: common,
      redactText,
      shown: (error) => redact(interruptedOr(error, interrupt.signal)),
      signal: interrupt.signal,
      started: (output) => onUnfinished((error) => output.failed(`${name}: failed`, redact(error))),
    });
  } finally {
    interrupt.dispose();
    await connector.close();
  }
}
