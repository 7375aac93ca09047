import type { FapEvents } from "@fap/core/internal";
import { formatError } from "@fap/core/internal";
import type { JsonReporter, JsonReporterOptions } from "../json-reporter.js";
import { recordRun } from "./record-run.js";
import { writeStepSummary } from "./step-summary.js";
import { writeReport } from "./write-report.js";

/**
 * What is written once a run ends, from its events: the --report file and, in GitHub Actions,
 * the job summary. Undefined when neither is wanted (nothing is recorded then). Writing them
 * never changes how the run ends: a failure to write is a warning on stderr.
 */
export function afterRun(events: FapEvents, options: Omit<JsonReporterOptions, "out">, reportFile: string | undefined, env: NodeJS.ProcessEnv): JsonReporter | undefined {
  const inGithub = env.GITHUB_ACTIONS === "true" && Boolean(env.GITHUB_STEP_SUMMARY);
  if (!reportFile && !inGithub) return undefined;
  const recorder = recordRun(events, options);
  let ended = false;
  return {
    start: (run) => recorder.start(run),
    end(error) {
      // An interrupted run may end twice (its error, then the exit guard): one report.
      if (ended) return;
      ended = true;
      recorder.end(error);
      const warn = (what: string, e: unknown) => process.stderr.write(`warning: ${what}: ${formatError(e)}\n`);
      if (reportFile) {
        try {
          writeReport(reportFile, recorder.events);
        } catch (e) {
          warn("no report written", e);
        }
      }
      try {
        writeStepSummary(env, recorder.events, reportFile);
      } catch (e) {
        warn("no job summary written", e);
      }
    },
  };
}
