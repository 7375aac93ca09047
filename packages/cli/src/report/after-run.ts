import type { FapEvents } from "@fap/core/internal";
import { formatError } from "@fap/core/internal";
import type { JsonReporter, JsonReporterOptions } from "../json-reporter.js";
import { recordRun } from "./record-run.js";

/** The report's code (the page, its style and script), loaded only by runs that write one. */
const loadWriters = async () => {
  const [{ writeReport }, { writeStepSummary }] = await Promise.all([import("./write-report.js"), import("./step-summary.js")]);
  return { writeReport, writeStepSummary };
};

/**
 * What is written once a run ends, from its events: the --report file and, in GitHub Actions,
 * the job summary. Undefined when neither is wanted (nothing is recorded then). Writing them
 * never changes how the run ends: a failure to write is a warning on stderr. The writers load
 * while the run runs; the files are written once they have (before fap exits).
 */
export function afterRun(events: FapEvents, options: Omit<JsonReporterOptions, "out">, reportFile: string | undefined, env: NodeJS.ProcessEnv): JsonReporter | undefined {
  const inGithub = env.GITHUB_ACTIONS === "true" && Boolean(env.GITHUB_STEP_SUMMARY);
  if (!reportFile && !inGithub) return undefined;
  const recorder = recordRun(events, options);
  const writers = loadWriters();
  let ended = false;
  return {
    start: (run) => recorder.start(run),
    end(error) {
      // An interrupted run may end twice (its error, then the exit guard): one report.
      if (ended) return;
      ended = true;
      recorder.end(error);
      const warn = (what: string, e: unknown) => process.stderr.write(`warning: ${what}: ${formatError(e)}\n`);
      void writers.then(({ writeReport, writeStepSummary }) => {
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
      }, (e: unknown) => warn("no report written", e));
    },
  };
}
