import { FapError } from "@fap/core";

/**
 * Races `work` against SIGINT/SIGTERM: on a signal, `stop` (closing connections) runs and the
 * run ends with E_INTERRUPTED carrying the conventional exit code 130 or 143.
 */
export async function untilInterrupted<T>(work: Promise<T>, stop: () => Promise<void>): Promise<T> {
  let onSignal: ((signal: NodeJS.Signals) => void) | undefined;
  const interrupted = new Promise<never>((_, reject) => {
    onSignal = (signal) => {
      const exitCode = signal === "SIGINT" ? 130 : 143;
      void stop().finally(() =>
        reject(new FapError("E_INTERRUPTED", `interrupted by ${signal}`, { details: { exitCode }, hint: "run fap again to finish" })),
      );
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  });
  try {
    return await Promise.race([work, interrupted]);
  } finally {
    if (onSignal) {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  }
}
