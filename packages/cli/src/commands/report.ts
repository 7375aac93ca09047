import { readFileSync } from "node:fs";
import { FapError } from "@fap/core/internal";
import { parseEventLog } from "../report/events.js";
import { writeReport } from "../report/write-report.js";

/** `fap report LOG.ndjson -o FILE.html`: the HTML report of a run, rebuilt from its saved --json log. */
export function runReport(log: string, options: { output?: string }): void {
  if (!options.output) {
    throw new FapError("E_USAGE", "fap report needs the HTML file to write", { hint: `fap report ${log} -o report.html` });
  }
  let text: string;
  try {
    text = readFileSync(log, "utf8");
  } catch (error) {
    throw new FapError("E_USAGE", `cannot read ${log}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      hint: "give the file a run's --json output was saved to: fap run deploy -s STAGE --json > run.ndjson",
      cause: error,
    });
  }
  writeReport(options.output, parseEventLog(text, log));
  process.stdout.write(`report written to ${options.output}\n`);
}
