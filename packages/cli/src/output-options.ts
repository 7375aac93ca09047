import type { Command } from "commander";

export interface OutputOptions {
  json?: boolean;
  quiet?: boolean;
  log?: string;
  report?: string;
}

/** Output options of the commands that run something on hosts (run, release, rollback, restart, once). */
export function withOutputOptions(command: Command): Command {
  return command
    .option("--json", "write one JSON event per line on stdout and nothing else (docs/events.md)")
    .option("-q, --quiet", "print only warnings, errors and the summary")
    .option("--log <file>", "also append the human-readable log, without colours, to FILE")
    .option("--report <file>", "write an HTML report of the run to FILE at its end, also when it fails (docs/report.md)");
}
