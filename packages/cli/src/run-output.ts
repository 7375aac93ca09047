import { createEvents, formatError, isFapError, type FapInstance } from "@fap/core/internal";
import type { CommonOptions } from "./common-options.js";
import { attachHumanReporter, type HumanReporter, type Output } from "./human-reporter.js";
import { attachJsonReporter, type JsonReporter } from "./json-reporter.js";
import { logFile } from "./log-file.js";
import { afterRun } from "./report/after-run.js";
import type { OutputOptions } from "./output-options.js";
import { fapVersion } from "./version.js";

export interface RunOutput {
  /** A line for people before the run (not in --json, not under -q). */
  header(text: string): void;
  /** The run succeeded: the summary, and the last JSON event. */
  done(title: string): void;
  /** The run failed with `error` (already redacted): the summary, the error in the log, the last JSON event. */
  failed(title: string, error: unknown): void;
}

/** What decides a run's output: the output flags, and the scope shown in --json's first line. */
export type RunOutputOptions = Pick<CommonOptions, "stage" | "role" | "dryRun" | "verbose"> & OutputOptions;

export interface RunOutputInit {
  fap: FapInstance;
  deployId: string;
  flow: string;
  task?: string | undefined;
  /** The config's app_name, for --json's first line and the report. */
  app?: string | undefined;
  options: RunOutputOptions;
  redactText: (text: string) => string;
  argv?: readonly string[];
  stdout?: Output;
  env?: NodeJS.ProcessEnv;
  /** Some host serves several targets of the run: its lines name the target (see target-labels.ts). */
  byTarget?: boolean;
}

/**
 * Every reporter of one run: people's (stdout) or --json's, and the --log file's. Errors
 * themselves are printed on stderr by the caller, so stdout under --json stays pure JSON.
 */
export function startRunOutput(init: RunOutputInit): RunOutput {
  const { fap, options } = init;
  const env = init.env ?? process.env;
  const stdout = init.stdout ?? process.stdout;
  const dryRun = options.dryRun ?? false;

  let json: JsonReporter | undefined;
  let human: HumanReporter | undefined;
  if (options.json) {
    json = attachJsonReporter(fap.events, { out: stdout, deployId: init.deployId, flow: init.flow, task: init.task, redact: init.redactText });
    json.start({ stage: options.stage, role: options.role, app: init.app, dryRun, version: fapVersion() });
  } else {
    human = attachHumanReporter(fap.events, {
      out: stdout,
      verbose: options.verbose ?? false,
      dryRun,
      quiet: options.quiet ?? false,
      live: Boolean(stdout.isTTY),
      githubGroups: env.GITHUB_ACTIONS === "true",
      byTarget: init.byTarget ?? false,
      env,
    });
  }
  // --report and GitHub's job summary: made from the same events as --json, at the run's end.
  const after = afterRun(fap.events, { deployId: init.deployId, flow: init.flow, task: init.task, redact: init.redactText }, options.report, env);
  after?.start({ stage: options.stage, role: options.role, app: init.app, dryRun, version: fapVersion() });
  let log: HumanReporter | undefined;
  let logOut: Output | undefined;
  if (options.log) {
    logOut = logFile(options.log);
    log = attachHumanReporter(fap.events, { out: logOut, verbose: true, dryRun, quiet: false, live: false, byTarget: init.byTarget ?? false });
    const argv = init.argv ?? process.argv.slice(2);
    logOut.write(`=== ${new Date().toISOString()} fap ${init.redactText(argv.join(" "))} (deploy ${init.deployId})\n`);
  }

  return {
    header(text) {
      human?.line(text);
      log?.line(text);
    },
    done(title) {
      human?.summary(title);
      log?.summary(title);
      logOut?.write("\n");
      after?.end();
      json?.end();
    },
    failed(title, error) {
      human?.summary(title);
      log?.summary(title);
      if (logOut) {
        const message = formatError(error);
        logOut.write(`error: ${message}\n`);
        if (isFapError(error) && error.hint) logOut.write(`hint: ${error.hint}\n`);
        logOut.write("\n");
      }
      after?.end(error);
      json?.end(error);
    },
  };
}

/**
 * A run that failed before it could start (the config does not load, a plugin is missing):
 * under --json, its first and last lines still, so every run has both.
 */
export function reportEarlyFailure(init: { deployId: string; flow: string; task?: string | undefined; options: RunOutputOptions }, error: unknown): void {
  const events = createEvents();
  const run = { stage: init.options.stage, role: init.options.role, dryRun: init.options.dryRun ?? false, version: fapVersion() };
  const ids = { deployId: init.deployId, flow: init.flow, task: init.task };
  // --report and the job summary say so too: a run that never started is worth a record.
  const after = afterRun(events, ids, init.options.report, process.env);
  after?.start(run);
  after?.end(error);
  if (!init.options.json) return;
  const json = attachJsonReporter(events, { out: process.stdout, ...ids });
  json.start(run);
  json.end(error);
}
