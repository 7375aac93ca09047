import { FapError } from "@fap/core/internal";
import { printError } from "./print-error.js";
import type { UnfinishedReport } from "./pending-work.js";

/** The error of a command that stopped without finishing, told to its reporters and printed. */
export function reportUnfinished(waiting: readonly string[], reports: readonly UnfinishedReport[], debug: boolean): void {
  const error = unfinishedError(waiting);
  for (const report of reports) {
    try {
      report(error);
    } catch {
      // One reporter failing (a closed stdout) must not keep the error off stderr.
    }
  }
  printError(error, debug);
  process.exitCode = 1;
}

function unfinishedError(waiting: readonly string[]): FapError {
  const what = waiting.length > 0 ? waiting.join(", ") : "nothing fap can name";
  return new FapError("E_UNFINISHED", `the run stopped without finishing (a hook or connection never completed); it was waiting on ${what}`, {
    hint: "a plugin's tap or task returned a promise that never settles, or a connection waits on itself; fix that plugin or ~/.ssh/config (run with --debug for more)",
    details: { waiting: [...waiting] },
  });
}
