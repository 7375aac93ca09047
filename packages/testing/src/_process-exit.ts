import type { ChildProcess } from "node:child_process";

/** Whether the process ended within `ms` (its `exited` promise settled): the host's stop waits this long before a KILL. */
export async function exitsWithin(current: { exited: Promise<void> }, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(resolve, ms, false)));
  try {
    return await Promise.race([current.exited.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A started child that has not exited or been killed by a signal yet. */
export function isAlive(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}
