import os from "node:os";
import { LOCK_HELD_EXIT, parseLockInfo, readLockCommand, takeLockCommand, type LockInfo } from "./commands/lock.js";
import type { HostContext } from "./context.js";
import { FapError } from "./errors.js";

/**
 * Takes the deploy lock on this host, or throws E_LOCKED naming who holds it and since when.
 * `andThen` runs in the same round trip once the lock is ours.
 */
export async function takeLock(ctx: HostContext, andThen?: string): Promise<void> {
  const now = new Date();
  const ttlSeconds = Number(ctx.config.lock_ttl ?? 3600);
  const info: LockInfo = {
    deploy: ctx.deployId,
    flow: ctx.flow,
    user: ctx.deployer,
    machine: os.hostname(),
    pid: process.pid,
    time: now.toISOString(),
    expires: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
  };
  const command = takeLockCommand(ctx.paths, info);
  const result = await ctx.run(andThen ? `${command} && ${andThen}` : command, { allowFailure: true, quiet: true });
  if (result.exitCode === 0) return;
  if (result.exitCode === LOCK_HELD_EXIT) throw lockedError(ctx.host, parseLockInfo(result.stderr), now);
  throw new FapError("E_COMMAND_FAILED", `${ctx.host}: cannot start the ${ctx.flow} in ${ctx.paths.root}: ${result.stderr.trim().split("\n").pop()}`, {
    host: ctx.host,
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
