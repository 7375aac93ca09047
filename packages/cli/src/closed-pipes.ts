/**
 * `fap status | head -1`: once the reader of stdout or stderr is gone, fap ends quietly, with
 * the exit status of a process killed by SIGPIPE (141), as `git log | head` does, or the
 * command's own non-zero status if it failed already. A run that changes hosts is the
 * exception: stopping it half way would leave hosts half deployed and locked, so its output
 * is dropped and it goes on to its end (or its clean-up), and exits as the run ended: its exit
 * status tells what happened to the hosts, whoever still reads.
 */
const SIGPIPE_EXIT = 141;

let changesHosts = false;

/** Installed once, before anything is written. */
export function endQuietlyOnClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) stream.on("error", onOutputError);
}

/** Called by commands that change hosts, before they write anything: a closed pipe no longer ends fap. */
export function keepRunningIfPipesClose(): void {
  changesHosts = true;
}

/** A write error other than a closed pipe is as fatal as it was without this handler. */
function onOutputError(error: NodeJS.ErrnoException): void {
  if (error.code !== "EPIPE") throw error;
  if (changesHosts) return;
  const code = process.exitCode;
  process.exit(typeof code === "number" && code !== 0 ? code : SIGPIPE_EXIT);
}
