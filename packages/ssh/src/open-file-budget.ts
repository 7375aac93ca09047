import { readFileSync } from "node:fs";
import type { Connection } from "./connection.js";

/** File descriptors kept for everything but host connections (stdio, config and key files, logs): fap itself needs about 20. */
const RESERVE = 64;

/** A connection idle this long may be closed to make room; a shorter pause is a host between two commands. */
const EVICT_IDLE_MS = 200;

/**
 * How many host connections may be open at once: the open-file limit (Node raises its soft
 * limit to the hard one at start) less a reserve. Undefined where the limit cannot be read
 * (no /proc), which means no bound.
 */
export function connectionBudget(limitsFile = "/proc/self/limits"): number | undefined {
  const limit = openFileLimit(limitsFile);
  return limit === undefined ? undefined : Math.max(1, limit - Math.min(RESERVE, Math.floor(limit / 2)));
}

function openFileLimit(limitsFile: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(limitsFile, "utf8");
  } catch {
    return undefined;
  }
  const soft = /^Max open files\s+(\d+|unlimited)/m.exec(text)?.[1];
  return soft === undefined || soft === "unlimited" ? undefined : Number(soft);
}

/**
 * Past the budget, closes the connection idle longest (at least EVICT_IDLE_MS), so that a
 * fleet larger than the open-file limit still deploys with `parallel` below it: a host whose
 * connection was closed reconnects on its next command. Returns the key it closed, if any.
 */
export function closeIdlest(
  pool: Map<string, { connection?: Connection | undefined }>,
  budget: number | undefined,
  /** Jump hosts: their forwarded channels do not show in the channel queue. */
  keep: ReadonlySet<string>,
): string | undefined {
  if (budget === undefined || pool.size < budget) return undefined;
  const now = Date.now();
  let idlest: { key: string; connection: Connection; idle: number } | undefined;
  for (const [key, entry] of pool) {
    const connection = entry.connection;
    if (!connection || connection.isLost || keep.has(key)) continue;
    const idle = connection.idleMs(now);
    if (idle >= EVICT_IDLE_MS && idle > (idlest?.idle ?? 0)) idlest = { key, connection, idle };
  }
  if (!idlest) return undefined;
  pool.delete(idlest.key);
  void idlest.connection.end();
  return idlest.key;
}
