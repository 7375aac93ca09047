import { releaseLockCommand } from "../lock/lock-commands.js";
import { appendLogCommand, removeReleasesCommand, switchCurrentCommand } from "../shell/release.js";
import type { HostContext } from "../context.js";
import { logEntry } from "../release/_log-entry.js";
import { failureOf, type HostFailure } from "../run/run-phase.js";
import { openSession } from "../run/session.js";
import { planRun } from "../run/plan.js";
import { type SessionOptions } from "../run/session-types.js";
import { PUBLISH, ROLLBACK_FINISH, ROLLBACK_PREPARE } from "./phases.js";
import { doneButInterrupted, failRun, flowResult, runPhases, type FlowResult } from "./_run.js";
import { withOutcome, type RunOutcome } from "./_outcome.js";
import { emitHostResults, outcomeNote, undoneOutcomes, type HostOutcome } from "./_host-results.js";
import { undoAndUnlock } from "./_undo.js";
import { canFinishWithSwitch, publishAndFinish } from "./_finish-with-switch.js";

/** A rollback's hooks after the switch, in order: the run can finish with the switch when none is tapped. */
const AFTER_SWITCH = [...PUBLISH.slice(1), ...ROLLBACK_FINISH];

/**
 * Every host goes back to the same release: its newest good release older than `current`
 * (the run is refused when hosts would go to different ones, unless aligned; see
 * rollbackTargets). If any host has none, nothing changes anywhere. The release rolled back
 * from is marked and removed. Each host's result is what its clean-up answered; the outcome
 * hooks are told once, however it ends.
 */
export async function rollback(options: SessionOptions): Promise<FlowResult> {
  return withOutcome(options, "rollback", (outcome) => rollbackPlanned(options, outcome));
}

async function rollbackPlanned(options: SessionOptions, outcome: RunOutcome): Promise<FlowResult> {
  const { fap } = options;
  const plan = planRun(options);
  outcome.planned(plan);
  const session = await openSession("rollback", options, plan);
  outcome.opened(session);
  const contexts = session.contexts;
  // After a failure, the directories the lock made go too while they are empty.
  const unlock = (ctx: HostContext, first: string) => releaseLockCommand(ctx.paths, ctx.deployId, first, failures.length > 0 ? ctx.before.made : []);
  const fail = (outcomes: HostOutcome[], note: string) => failRun(fap, session, "rollback", failures, outcomes, note);

  let failures: HostFailure[] = await runPhases(fap, session, ROLLBACK_PREPARE, options.signal);
  if (failures.length > 0) {
    const outcomes = undoneOutcomes(contexts, failures, await undoAndUnlock(fap, contexts, () => undefined, unlock), "not-switched", "not-switched");
    return fail(outcomes, outcomeNote(outcomes, "nothing was changed", "not switched"));
  }
  // Removing the release rolled back from rides with the unlock: one round trip fewer per host.
  const finish = (ctx: HostContext) => (failures.length === 0 && ctx.release.previousId !== undefined ? removeReleasesCommand(ctx.paths, [ctx.release.previousId]) : undefined);
  // With nothing to run between the switch and the unlock, both go in one command.
  const folded = canFinishWithSwitch(fap, contexts, AFTER_SWITCH) ? await publishAndFinish(fap, session, AFTER_SWITCH, options.signal, finish, unlock) : undefined;
  failures = folded ? folded.failures : await runPhases(fap, session, PUBLISH, options.signal);
  if (failures.length > 0) {
    const undo = await undoAndUnlock(fap, contexts, restoreRolledBack, unlock);
    const outcomes = undoneOutcomes(contexts, failures, undo, "switched-back", "not-switched-back");
    return fail(outcomes, outcomeNote(outcomes, "every host was switched back to the release it had before", "switched back to their previous release"));
  }
  failures = folded ? [] : await runPhases(fap, session, ROLLBACK_FINISH, options.signal);
  const unlocked = folded ? folded.unlocked : await undoAndUnlock(fap, contexts, finish, unlock);
  const outcomes = contexts.map((ctx): HostOutcome => {
    const result = unlocked.get(ctx);
    const state = failures.length === 0 && result?.ok ? "done" : "live";
    return { ctx, state, failure: failureOf(failures, ctx), why: result?.ok ? undefined : result?.reason, lockLeft: result?.lockLeft ?? false };
  });
  if (failures.length > 0) return fail(outcomes, outcomeNote(outcomes, "the rollback is live; only finishing steps failed", "the rollback is live"));
  if (outcomes.some((o) => o.state !== "done")) return fail(outcomes, outcomeNote(outcomes, "", "the rollback is live"));
  emitHostResults(fap, session, outcomes);
  doneButInterrupted("rollback", options.signal, "every host runs the release it was rolled back to and the lock was freed");
  return flowResult(session);
}

/**
 * Undoes a rollback's publish: `current` back on the release it left, whose release-log status
 * goes back to what it was before (a release that was never `ok` does not become `ok` here).
 */
function restoreRolledBack(ctx: HostContext): string | undefined {
  const from = ctx.release.previousId;
  if (from === undefined) return undefined;
  const status = ctx.before.log.get(from)?.status ?? "ok";
  return `${switchCurrentCommand(ctx.paths, `${ctx.paths.releases}/${from}`, from)} && ${appendLogCommand(ctx.paths, { ...logEntry(ctx, status), id: from })}`;
}
