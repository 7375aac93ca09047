import { FapError } from "@fap/core";

export interface Interruptible {
  /** Aborted on the first SIGINT/SIGTERM, with the signal's name as reason. */
  signal: AbortSignal;
  /** Removes the handlers; call when the run is over. */
  dispose(): void;
}

/**
 * First Ctrl-C (or SIGTERM): stop starting commands, let running ones end, clean up (remove
 * the partial release, free the lock), then exit 130 (143). A second one quits at once.
 */
export function onInterrupt(say: (message: string) => void, quitNow: () => void): Interruptible {
  const controller = new AbortController();
  const handler = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      say(`${name} again: quitting without cleaning up`);
      quitNow();
      process.exit(name === "SIGTERM" ? 143 : 130);
    }
    say(`${name}: finishing running commands and cleaning up (press Ctrl-C again to quit at once)`);
    controller.abort(name);
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    signal: controller.signal,
    dispose() {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}

/** Whatever the run ended with, an interrupted run ends as E_INTERRUPTED (exit 130 or 143). */
export function interruptedOr(error: unknown, signal: AbortSignal): unknown {
  if (!signal.aborted) return error;
  const name = String(signal.reason);
  return new FapError("E_INTERRUPTED", `interrupted by ${name}; ${error instanceof Error ? error.message : String(error)}`, {
    hint: "the partial release was removed and the lock freed; run fap again to finish",
    details: { exitCode: name === "SIGTERM" ? 143 : 130 },
    cause: error,
  });
}
