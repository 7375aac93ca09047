import { createReadStream } from "node:fs";
import { FapError } from "@fap/core/internal";
import { parseEventLog } from "../report/events.js";
import { writeReport } from "../report/write-report.js";

/** `fap report LOG.ndjson -o FILE.html`: the HTML report of a run, rebuilt from its saved --json log. */
export async function runReport(log: string, options: { output?: string }): Promise<void> {
  if (!options.output) {
    throw new FapError("E_USAGE", "fap report needs the HTML file to write", { hint: `fap report ${log} -o report.html` });
  }
  let text: string;
  try {
    text = await withoutOutput(log);
  } catch (error) {
    throw new FapError("E_USAGE", `cannot read ${log}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      hint: "give the file a run's --json output was saved to: fap run deploy -s STAGE --json > run.ndjson",
      cause: error,
    });
  }
  writeReport(options.output, parseEventLog(text, log));
  process.stdout.write(`report written to ${options.output}\n`);
}

/**
 * The log's lines but the commands' output, read as a stream: a log may hold gigabytes of
 * output, which the report does not show.
 */
async function withoutOutput(file: string): Promise<string> {
  // readline is imported here, not at the top: the one file every fap command loads would load it too.
  const { createInterface } = await import("node:readline");
  const kept: string[] = [];
  for await (const line of createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity })) {
    if (!line.startsWith('{"type":"output"')) kept.push(line);
  }
  return kept.join("\n");
}
