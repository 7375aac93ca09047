import os from "node:os";
import { describeHolder, LOCK_HELD_EXIT, parseLockInfo, type HeldLock, type LockInfo } from "./lock-commands.js";
import { FapError } from "../errors.js";
import type { ExecResult } from "../remote.js";

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

/**
 * Throws when a command taking the lock failed: E_LOCKED when another run holds it, else
 * (the deploy path or the lock could not be created or written) a failure naming the cause.
 */
export function checkLockTaken(host: string, root: string, flow: string, result: ExecResult): void {
  if (result.exitCode === 0) return;
  if (result.exitCode === LOCK_HELD_EXIT) throw lockedError(host, { holder: parseLockInfo(result.stderr) });
  throw new FapError("E_COMMAND_FAILED", `cannot start the ${flow} in ${root}: ${result.stderr.trim().split("\n").pop()}`, {
    host,
    hint: "check that the deploy path is writable by the SSH user",
    details: { exitCode: result.exitCode, stderr: result.stderr },
  });
}

export function lockedError(host: string, lock: HeldLock, now = new Date()): FapError {
  const holder = lock.holder;
  if (!holder) {
    return new FapError("E_LOCKED", `locked by ${describeHolder(lock)} (the lock's info is missing or unreadable)`, {
      host,
      hint: "if no deploy is running, free the lock with fap unlock -s STAGE",
    });
  }
  const stale = Date.parse(holder.expires) < now.getTime();
  return new FapError("E_LOCKED", `locked by ${describeHolder(lock)} since ${holder.time}${stale ? `, stale since ${holder.expires}` : ""}`, {
    host,
    hint: stale
      ? "that run seems gone: free the lock with fap unlock -s STAGE --force"
      : "wait for that run to finish; if it is gone, fap unlock -s STAGE",
    details: { holder },
  });
}
