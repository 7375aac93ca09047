import { deploy, own, restart, rollback, runTask, type FlowResult, type SessionOptions } from "@fap/core/internal";
import type { Output } from "./human-reporter.js";
import { startRunOutput, type RunOutput, type RunOutputOptions } from "./run-output.js";
import { hostsServeSeveralTargets } from "./target-labels.js";

type Flow = (options: SessionOptions) => Promise<FlowResult>;

const FLOWS: Record<string, Flow> = { deploy, rollback, restart };

/** `deploy`, `rollback`, `restart`: a built-in flow; any other name: a task. */
export function namedFlow(name: string): { flow: string; task: string | undefined; run: Flow } {
  const flow = own(FLOWS, name);
  if (flow) return { flow: name, task: undefined, run: flow };
  return { flow: "task", task: name, run: (options) => runTask(options, name) };
}

export interface RunNamedInit {
  /** --json, --quiet, --log, --verbose, and the stage, role and dry run the header shows. */
  output: RunOutputOptions;
  redactText: (text: string) => string;
  /** The error as it is shown and thrown: redacted (and, in the CLI, named as an interruption). */
  shown: (error: unknown) => unknown;
  /** Where people's lines (or --json's) go; default: process.stdout. */
  stdout?: Output;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Called once the output is set up, e.g. to end it when the process exits early. */
  started?: (output: RunOutput) => void;
}

/**
 * `fap run NAME` once its run is composed: the output (people's, --json's, --log's), the
 * header, the flow, the summary. The CLI and @fap/testing's deployWith both run a flow so.
 */
export async function runNamed(name: string, options: SessionOptions & { deployId: string }, init: RunNamedInit): Promise<FlowResult> {
  const { flow, task, run } = namedFlow(name);
  const { deployId } = options;
  const app = typeof options.config.app_name === "string" ? options.config.app_name : undefined;
  const output = startRunOutput({ fap: options.fap, deployId, flow, task, app, options: init.output, redactText: init.redactText, stdout: init.stdout, env: init.env, byTarget: hostsServeSeveralTargets(options) });
  init.started?.(output);
  const scope = [init.output.stage, init.output.role].filter(Boolean).join(".");
  output.header(`fap ${name} ${scope}${init.output.dryRun ? " (dry run: nothing is changed)" : ""}`);
  try {
    const result = await run({ ...options, ...(init.signal ? { signal: init.signal } : {}) });
    output.done(`${name} ${deployId}: done`);
    return result;
  } catch (error) {
    const shown = init.shown(error);
    output.failed(`${name}: failed`, shown);
    throw shown;
  }
}
