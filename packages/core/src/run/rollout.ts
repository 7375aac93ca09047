import { setTimeout as sleep } from "node:timers/promises";
import { FapError } from "../errors.js";

/** How a deploy publishes: all at once, or in rolling batches, and how many hosts may fail. */
export interface Rollout {
  /** Hosts per batch: a count ("2") or a share of the hosts ("25%"); all at once when unset. */
  batch?: string | undefined;
  /** Pause between batches, in milliseconds. */
  batchWaitMs?: number | undefined;
  /** Hosts that may fail while preparing; the others still deploy (the run still fails). */
  maxFailed?: number | undefined;
}

/** Splits the hosts into publish batches, in config order; each batch has at least one host. */
export function splitBatches<T>(items: readonly T[], batch: string | undefined): T[][] {
  if (batch === undefined || items.length === 0) return items.length === 0 ? [] : [[...items]];
  const size = batchSize(batch, items.length);
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}

export function batchSize(batch: string, hosts: number): number {
  const match = /^(\d+)(%?)$/.exec(batch.trim());
  const value = match ? Number(match[1]) : NaN;
  if (!match || value < 1 || (match[2] === "%" && value > 100)) {
    throw new FapError("E_USAGE", `--batch ${batch}: expected a number of hosts or a percentage, e.g. 2 or 25%`, {
      hint: "--batch 1 publishes one host at a time",
    });
  }
  return match[2] === "%" ? Math.max(1, Math.floor((hosts * value) / 100)) : value;
}

/** Waits between batches; Ctrl-C ends the wait at once (the next batch then does not start). */
export async function waitBetweenBatches(ms: number | undefined, signal: AbortSignal | undefined): Promise<void> {
  if (!ms || ms <= 0 || signal?.aborted) return;
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}
