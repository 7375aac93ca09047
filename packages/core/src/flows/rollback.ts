import { releaseLockCommand } from "../commands/lock.js";
import { appendLogCommand, removeReleasesCommand, switchCurrentCommand } from "../commands/release.js";
import type { HostContext } from "../context.js";
import { logEntry } from "../_log-entry.js";
import { failureError } from "../run-phase.js";
import { openSession, type SessionOptions } from "../session.js";
import { PUBLISH, ROLLBACK_FINISH, ROLLBACK_PREPARE } from "./phases.js";
import { beforeHosts, cleanUp, flowResult, notifyFailed, reportHosts, runContext, runPhases, type FlowResult } from "./_run.js";

/**
 * Each host goes back to its own newest good release older than `current` (hosts may hold
 * different lists). If any host has none, nothing changes anywhere. The release rolled back
 * from is marked and removed.
 */
export async function rollback(options: SessionOptions): Promise<FlowResult> {
  const { fap } = options;
  const session = await beforeHosts(fap, runContext(options, "rollback", undefined, options.dryRun ?? false), () =>
    openSession("rollback", options),
  );
  const run = runContext(options, "rollback", session, options.dryRun ?? false);
  // After a failure, the directories the lock made go too while they are empty.
  const unlock = (ctx: HostContext, first?: string) =>
    releaseLockCommand(ctx.paths, ctx.deployId, first, failures.length > 0 ? ctx.before.made : []);

  let failures = await runPhases(fap, session, ROLLBACK_PREPARE, options.signal);
  let note = "nothing was changed";
  let restore = false;
  if (failures.length === 0) {
    failures = await runPhases(fap, session, PUBLISH, options.signal);
    if (failures.length > 0) {
      restore = true;
      note = "every host was switched back to the release it had before";
    }
  }
  if (failures.length === 0) {
    failures = await runPhases(fap, session, ROLLBACK_FINISH, options.signal);
    note = "the rollback is live; only finishing steps failed";
  }
  // Removing the release rolled back from rides with the unlock: one round trip fewer per host.
  const finish = (ctx: HostContext) => (failures.length === 0 && ctx.release.previousId !== undefined ? removeReleasesCommand(ctx.paths, [ctx.release.previousId]) : undefined);
  await cleanUp(fap, session.contexts, (ctx) => unlock(ctx, restore ? restoreRolledBack(ctx) : finish(ctx)));
  const othersNote = failures.length === 0 || note.startsWith("the rollback is live") ? undefined : restore ? "switched back" : "not switched";
  reportHosts(fap, session, failures, othersNote);
  if (failures.length > 0) {
    const error = failureError("rollback", failures, note);
    await notifyFailed(fap, error, run);
    throw error;
  }
  return flowResult(session);
}

/** Undoes a rollback's publish: `current` back on the release it left, marked good again. */
function restoreRolledBack(ctx: HostContext): string {
  const from = ctx.release.previousId;
  if (from === undefined) return "true";
  return `${switchCurrentCommand(ctx.paths, `${ctx.paths.releases}/${from}`, from)} && ${appendLogCommand(ctx.paths, { ...logEntry(ctx, "ok"), id: from })}`;
}
