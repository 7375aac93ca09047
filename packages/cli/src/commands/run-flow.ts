import { deploy, FapError, restart, rollback, type FlowResult, type SessionOptions } from "@fap/core";
import type { CommonOptions } from "../common-options.js";
import { attachHumanReporter } from "../human-reporter.js";
import { prepareRun } from "../session-options.js";
import { interruptedOr, onInterrupt } from "../signals.js";

const FLOWS: Record<string, (options: SessionOptions) => Promise<FlowResult>> = { deploy, rollback, restart };

export const TASK_NAMES = Object.keys(FLOWS);

/** `fap run <task>` and its aliases `fap release`, `fap rollback`, `fap restart`. */
export async function runFlow(task: string, common: CommonOptions, extraArgs: readonly string[]): Promise<void> {
  const flow = FLOWS[task];
  if (!flow) {
    throw new FapError("E_USAGE", `unknown task '${task}'`, { hint: `tasks: ${TASK_NAMES.join(", ")}` });
  }
  const out = process.stdout;
  const { options, connector, redact } = await prepareRun(common, extraArgs, (message) => process.stderr.write(`warning: ${message}\n`));
  const reporter = attachHumanReporter(options.fap.events, { out, verbose: common.verbose ?? false, dryRun: common.dryRun ?? false });
  const interrupt = onInterrupt((message) => process.stderr.write(`\n${message}\n`), () => void connector.close());
  const scope = [common.stage, common.role].filter(Boolean).join(".");
  out.write(`fap ${task} ${scope}${common.dryRun ? " (dry run: nothing is executed)" : ""}\n`);
  try {
    const result = await flow({ ...options, signal: interrupt.signal });
    reporter.summary(`${task} ${result.deployId}: done`);
  } catch (error) {
    reporter.summary(`${task}: failed`);
    throw redact(interruptedOr(error, interrupt.signal));
  } finally {
    interrupt.dispose();
    await connector.close();
  }
}
