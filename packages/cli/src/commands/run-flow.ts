import { BUILTIN_TASKS, deploy, own, newDeployId, restart, rollback, runTask, type FlowResult, type SessionOptions } from "@fap/core";
import { keepRunningIfPipesClose } from "../closed-pipes.js";
import type { CommonOptions } from "../common-options.js";
import type { OutputOptions } from "../output-options.js";
import { onUnfinished } from "../pending-work.js";
import { reportEarlyFailure, startRunOutput } from "../run-output.js";
import { prepareRun } from "../session-options.js";
import { interruptedOr, onInterrupt } from "../signals.js";

const FLOWS: Record<string, (options: SessionOptions) => Promise<FlowResult>> = { deploy, rollback, restart };

export const TASK_NAMES = Object.keys(BUILTIN_TASKS);

/**
 * `fap run NAME` and its aliases `fap release`, `fap rollback`, `fap restart`: a built-in flow,
 * or a task of a plugin or of the config.
 */
export async function runFlow(name: string, common: CommonOptions & OutputOptions, extraArgs: readonly string[]): Promise<void> {
  keepRunningIfPipesClose();
  const warn = (message: string) => process.stderr.write(`warning: ${message}\n`);
  const flow = own(FLOWS, name);
  const early = { deployId: newDeployId(), flow: flow ? name : "task", task: flow ? undefined : name, options: common };
  // A run that never finishes still ends its --json stream (see unfinished-guard.ts).
  const stopEarly = onUnfinished((error) => reportEarlyFailure(early, error));
  const { options, connector, redact, redactText } = await prepareRun(common, extraArgs, warn, { deployId: early.deployId }).catch((error: unknown) => {
    reportEarlyFailure(early, error);
    throw error;
  });
  stopEarly();
  const run = flow ?? ((o: SessionOptions) => runTask(o, name));
  const deployId = early.deployId;
  const output = startRunOutput({ fap: options.fap, deployId, flow: early.flow, task: early.task, options: common, redactText });
  onUnfinished((error) => output.failed(`${name}: failed`, redact(error)));
  const interrupt = onInterrupt((message) => process.stderr.write(`\n${message}\n`), () => void connector.close());
  const scope = [common.stage, common.role].filter(Boolean).join(".");
  output.header(`fap ${name} ${scope}${common.dryRun ? " (dry run: nothing is executed)" : ""}`);
  try {
    await run({ ...options, signal: interrupt.signal });
    output.done(`${name} ${deployId}: done`);
  } catch (error) {
    const shown = redact(interruptedOr(error, interrupt.signal));
    output.failed(`${name}: failed`, shown);
    throw shown;
  } finally {
    interrupt.dispose();
    await connector.close();
  }
}
