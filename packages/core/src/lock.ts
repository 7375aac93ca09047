import os from "node:os";
import { LOCK_HELD_EXIT, parseLockInfo, readLockCommand, type LockInfo } from "./commands/lock.js";
import type { HostContext } from "./context.js";
import { FapError } from "./errors.js";
import type { ExecResult } from "./remote.js";

/** What a run writes into the lock it takes: who, from where, and until when it counts. */
export function newLockInfo(run: { deployId: string; flow: string; deployer: string }, ttlSeconds: number, now = new Date()): LockInfo {
  return {
    deploy: run.deployId,
    flow: run.flow,
    user: run.deployer,
    machine: os.hostname(),
    pid: process.pid,
    time: now.toISOString(),
    expires: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
  };
}

/** Throws when a command taking the lock failed: E_LOCKED when another run holds it. */
export function checkLockTaken(host: string, root: string, flow: string, result: ExecResult): void {
  if (result.exitCode === 0) return;
  if (result.exitCode === LOCK_HELD_EXIT) throw lockedError(host, parseLockInfo(result.stderr));
  throw new FapError("E_COMMAND_FAILED", `${host}: cannot start the ${flow} in ${root}: ${result.stderr.trim().split("\n").pop()}`, {
    host,
    hint: "check that the deploy path is writable by the SSH user",
    details: { exitCode: result.exitCode, stderr: result.stderr },
  });
}

export function lockedError(host: string, holder: LockInfo | undefined, now = new Date()): FapError {
  if (!holder) {
    return new FapError("E_LOCKED", `${host}: the app is locked by another run`, { host, hint: "fap unlock -s STAGE if no deploy is running" });
  }
  const stale = Date.parse(holder.expires) < now.getTime();
  const who = `${holder.user}@${holder.machine} (${holder.flow} ${holder.deploy}, pid ${holder.pid})`;
  return new FapError("E_LOCKED", `${host}: locked by ${who} since ${holder.time}${stale ? `, stale since ${holder.expires}` : ""}`, {
    host,
    hint: stale
      ? "that run seems gone: free the lock with fap unlock -s STAGE --force"
      : "wait for that run to finish; if it is gone, fap unlock -s STAGE",
    details: { holder },
  });
}

/** Who holds the lock on this host, if anyone (for `fap unlock` and `fap status`). */
export async function readLock(ctx: HostContext): Promise<LockInfo | undefined> {
  const result = await ctx.run(readLockCommand(ctx.paths), { quiet: true });
  return parseLockInfo(result.stdout);
}
