import { pendingWork, unfinishedReports } from "./pending-work.js";

export interface UnfinishedGuard {
  /** The command's promise settled (resolved or rejected): nothing to report. */
  finished(): void;
}

/**
 * fap never exits 0 for a command that did not finish. Node exits when nothing is left to
 * wait for, even if the command's promise never settled: a plugin tap returning a promise that
 * never resolves, a connection waiting on itself. `beforeExit` sees that moment; the run is
 * then reported failed, naming what it waited on, and fap exits 1.
 */
export function guardUnfinished(debug: boolean): UnfinishedGuard {
  let done = false;
  const onDrain = (): void => {
    if (done) return;
    done = true;
    process.off("beforeExit", onDrain);
    // Set before anything else: whatever happens next, this exit is not a success.
    process.exitCode = 1;
    const waiting = pendingWork();
    // Loaded only now, as main loads print-error: it needs @fap/core.
    void import("./report-unfinished.js").then(({ reportUnfinished }) => reportUnfinished(waiting, unfinishedReports(), debug));
  };
  process.on("beforeExit", onDrain);
  return {
    finished() {
      done = true;
      process.off("beforeExit", onDrain);
    },
  };
}
