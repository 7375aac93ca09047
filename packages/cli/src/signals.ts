import { FapError, formatError, isFapError } from "@fap/core/internal";

export interface Interruptible {
  /** Aborted on the first SIGINT/SIGTERM, with the signal's name as reason. */
  signal: AbortSignal;
  /** Removes the handlers; call when the run is over. */
  dispose(): void;
}

/**
 * First Ctrl-C (or SIGTERM): stop starting commands, let running ones end, clean up (remove
 * the partial release or switch back, as after any failure; free the lock), then exit 130
 * (143). A second one quits at once.
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

/**
 * Whatever the run ended with, an interrupted run ends as E_INTERRUPTED (exit 130 or 143). The
 * hint stays the run's own: core says what the hosts hold after its clean-up, which depends on
 * the phase the signal came in (nothing changed, switched back, or already live).
 */
export function interruptedOr(error: unknown, signal: AbortSignal): unknown {
  if (!signal.aborted) return error;
  const name = String(signal.reason);
  if (isFapError(error) && error.code === "E_INTERRUPTED" && error.message.startsWith(`interrupted by ${name}`)) return error;
  return new FapError("E_INTERRUPTED", `interrupted by ${name}; ${formatError(error)}`, {
    hint: isFapError(error) ? error.hint : undefined,
    details: { exitCode: name === "SIGTERM" ? 143 : 130 },
    cause: error,
  });
}
