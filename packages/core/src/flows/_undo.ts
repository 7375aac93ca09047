import type { HostContext } from "../context.js";
import type { FapInstance } from "../fap.js";
import { asFapError } from "../run/run-phase.js";
import { withActor } from "../hooks/_active-tap.js";
import { CORE_PLUGIN_NAME } from "../core-plugin.js";
import { deferredOf } from "../run/host-run-state.js";
import { hostsOfRun } from "../run/host-of-run.js";
import { UNDO_MARK } from "../run/own-lines.js";
import type { ExecResult } from "../remote.js";

/** What the clean-up of one host did: read from the host's answer, never assumed. */
export interface UndoOutcome {
  /** The undo command ran and succeeded (or there was nothing to undo), and the lock was freed. */
  ok: boolean;
  /** Why not, for the report: "unreachable", "`test -d …` failed", … */
  reason?: string;
  /** This run's lock is (or may be) still on the host: `fap unlock` is needed. */
  lockLeft: boolean;
}

/** Errors that mean the host was not reached (or was lost): nothing ran there. */
export const UNREACHABLE = new Set(["E_SSH_CONNECT", "E_CONNECTION_LOST", "E_SSH_AUTH", "E_HOST_KEY_UNKNOWN"]);

/**
 * Runs `undo` (if any) and frees the lock on every host, also after Ctrl-C, and returns what
 * each host answered. `unlock` builds the lock-freeing command around the step it is given
 * (see releaseLockCommand); the undo's exit status is carried out of it, so a restore that
 * fails is reported as failed, not swallowed by the `rm -rf` of the lock that follows it.
 */
export async function undoAndUnlock(
  fap: FapInstance,
  contexts: readonly HostContext[],
  undo: (ctx: HostContext) => string | undefined,
  unlock: (ctx: HostContext, first: string) => string,
): Promise<Map<HostContext, UndoOutcome>> {
  const outcomes = new Map<HostContext, UndoOutcome>();
  // Roles sharing one release share its lock and its undo: the first does both, once, for all.
  await Promise.all(
    hostsOfRun(contexts).map(async ([lead, ...others]) => {
      const { outcome, detail } = await undoOne(lead!, undo(lead!), unlock);
      if (!outcome.ok) fap.events.emit("log", { host: lead!.host, level: "warn", message: `clean-up failed: ${detail ?? outcome.reason}` });
      for (const ctx of [lead!, ...others]) outcomes.set(ctx, outcome);
    }),
  );
  return outcomes;
}

async function undoOne(
  ctx: HostContext,
  undo: string | undefined,
  unlock: (ctx: HostContext, first: string) => string,
): Promise<{ outcome: UndoOutcome; detail?: string }> {
  try {
    deferredOf(ctx)?.drop(); // what never went out needs no undoing
    const result = await withActor(ctx, CORE_PLUGIN_NAME, () => ctx.run(undoAndUnlockCommand(ctx, undo, unlock), { evenIfInterrupted: true, quiet: true }));
    return { outcome: undoAnswer(ctx, result) };
  } catch (error) {
    const fapError = asFapError(error, ctx.host);
    // "unreachable" is how the results tell a host nothing was done on (see _host-results).
    const reason = UNREACHABLE.has(fapError.code) ? "unreachable" : fapError.message;
    return { outcome: { ok: false, reason, lockLeft: true }, detail: fapError.message };
  }
}

/**
 * The command that runs `undo` (if any) and frees the lock, and prints what it did on a line
 * of its own (read by undoAnswer). It always exits 0: what it did is in that line.
 */
export function undoAndUnlockCommand(ctx: HostContext, undo: string | undefined, unlock: (ctx: HostContext, first: string) => string): string {
  // `fap_undo` stays "lock" when the lock is no longer this run's: then nothing was done.
  const step = undo === undefined ? "fap_undo=0" : `fap_undo=0; { ${undo}; } || fap_undo=$?`;
  return `fap_undo=lock; ${unlock(ctx, step)}; echo "${UNDO_MARK}$fap_undo"`;
}

/** What the host answered to undoAndUnlockCommand (sent alone or at the end of another command). */
export function undoAnswer(ctx: HostContext, result: ExecResult): UndoOutcome {
  if (ctx.dryRun) return { ok: true, lockLeft: false };
  const status = result.stdout.split("\n").find((line) => line.startsWith(UNDO_MARK))?.slice(UNDO_MARK.length).trim();
  if (status === "0") return { ok: true, lockLeft: false };
  if (status === "lock") return { ok: false, reason: "the lock was no longer this run's, nothing was done", lockLeft: false };
  const stderr = result.stderr.trim().split("\n")[0];
  return { ok: false, reason: `the undo command failed on the host (exit ${status ?? "unknown"}${stderr ? `: ${stderr}` : ""})`, lockLeft: false };
}
