import { setTimeout as sleep } from "node:timers/promises";
import { FapError, isFapError } from "../errors.js";
import type { FapEvents } from "../events.js";
import { interruptedError } from "../run/run-phase.js";

/** How long a run waits for another run's lock (--lock-wait), and where it says so. */
export interface LockWait {
  ms: number;
  events: FapEvents;
  signal?: AbortSignal | undefined;
}

/** How often the lock is tried again, and how often the wait is reported after its first line. */
const RETRY_MS = 1000;
const REPORT_EVERY_MS = 10_000;

/**
 * Runs `attempt` (a host's locking read) again while another run holds that host's lock
 * (E_LOCKED), until `wait.ms` has passed: the holder is shown once, then one line every ~10 s.
 * Ctrl-C ends the wait at once, as an interruption. Any other error is thrown as it is.
 */
export async function retryWhileLocked<T>(host: string, wait: LockWait | undefined, attempt: () => Promise<T>): Promise<T> {
  if (wait === undefined || wait.ms <= 0) return attempt();
  const started = Date.now();
  let reported = 0;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!isFapError(error) || error.code !== "E_LOCKED") throw error;
      const waited = Date.now() - started;
      if (waited >= wait.ms) throw waitedTooLong(error, wait.ms);
      if (reported === 0 || Date.now() - reported >= REPORT_EVERY_MS) {
        const message = reported === 0 ? `${error.message}; waiting up to ${seconds(wait.ms)} for it (--lock-wait)` : `still locked, waited ${seconds(waited)} of ${seconds(wait.ms)}`;
        wait.events.emit("log", { host, level: "warn", message });
        reported = Date.now();
      }
      if (wait.signal?.aborted) throw interruptedError(wait.signal);
      await sleep(Math.min(RETRY_MS, wait.ms - waited), undefined, { signal: wait.signal }).catch(() => undefined);
      if (wait.signal?.aborted) throw interruptedError(wait.signal);
    }
  }
}

function waitedTooLong(error: FapError, ms: number): FapError {
  return new FapError("E_LOCKED", `${error.message}; still locked after waiting ${seconds(ms)} (--lock-wait)`, {
    host: error.host,
    hint: error.hint,
    details: error.details,
  });
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
