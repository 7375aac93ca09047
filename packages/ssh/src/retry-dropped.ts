import { setTimeout as sleep } from "node:timers/promises";
import { FapError, isFapError } from "@fap/core/internal";

export interface DropRetryPolicy {
  /** Connects in all, the first one included. */
  attempts: number;
  /** The wait before the second connect; it doubles each time, up to maxDelayMs. */
  firstDelayMs: number;
  maxDelayMs: number;
}

/**
 * About 7 s of retries in all: enough for a storm of hundreds of connections on one sshd to pass
 * its MaxStartups (10 by default) a few at a time.
 */
const DROP_RETRY: DropRetryPolicy = { attempts: 8, firstDelayMs: 100, maxDelayMs: 2000 };

/**
 * Runs `open` again while the server drops the connection before the SSH handshake (see
 * open-client.ts: nothing was authenticated or run yet), waiting longer each time. Each wait
 * is randomised between half and all of it, so the hosts that were dropped together do not
 * come back together. Any other error is final at once.
 */
export async function retryDropped<T>(open: () => Promise<T>, policy: DropRetryPolicy = DROP_RETRY): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await open();
    } catch (error) {
      if (!isDropped(error)) throw error;
      if (attempt >= policy.attempts) throw stillDropped(error, attempt, Date.now() - started);
      const delay = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (attempt - 1));
      await sleep(delay / 2 + Math.random() * (delay / 2));
    }
  }
}

function isDropped(error: unknown): error is FapError {
  return isFapError(error) && error.details["dropped"] === true;
}

/** The same error, saying that fap did try again and for how long. */
function stillDropped(error: FapError, attempts: number, ms: number): FapError {
  return new FapError(error.code, `${error.message} (${attempts} tries in ${(ms / 1000).toFixed(1)} s)`, {
    host: error.host,
    hint: error.hint,
    cause: error.cause,
    details: { ...error.details, attempts },
  });
}
