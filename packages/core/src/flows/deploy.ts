import { releaseLockCommand } from "../lock/lock-commands.js";
import { appendLogCommand, discardReleaseCommand, removeCurrentCommand, removeReleasesCommand, switchCurrentCommand } from "../shell/release.js";
import { releasesToPrune } from "../run/host-state.js";
import type { HostContext } from "../context.js";
import { logEntry } from "../release/_log-entry.js";
import { failureOf, type HostFailure } from "../run/run-phase.js";
import { openSession } from "../run/session.js";
import { planRun, type RunPlan } from "../run/plan.js";
import { type SessionOptions } from "../run/session-types.js";
import { CHECK, DEPLOY_FINISH, DEPLOY_PREPARE, PUBLISH } from "./phases.js";
import { publishInSteps } from "./_publish.js";
import { doneButInterrupted, failRun, flowResult, runContext, runPhases, runPhasesTolerant, type FlowResult } from "./_run.js";
import { withOutcome, type RunOutcome } from "./_outcome.js";
import { emitHostResults, outcomeNote, undoneOutcomes, type HostOutcome } from "./_host-results.js";
import { undoAndUnlock } from "./_undo.js";
import { runReleasePhase } from "./_release-phase.js";
import { runBuildStage } from "./_build-stage.js";
import { canFinishWithSwitch, publishAndFinish } from "./_finish-with-switch.js";

/** A deploy's hooks after the switch, in order: the run can finish with the switch when none is tapped. */
const AFTER_SWITCH = [...PUBLISH.slice(1), ...CHECK, ...DEPLOY_FINISH];

/**
 * Build once locally, then on every host: prepare the release, publish it, finish. A failure
 * before publishing removes the new release everywhere and moves no `current`; a failure while
 * publishing puts every host back on the release it had. Every way out frees the lock, and
 * each host's result is what its clean-up answered, not what it was asked to do. The outcome
 * hooks are told once, however it ends.
 */
export async function deploy(options: SessionOptions): Promise<FlowResult> {
  const plan = planRun(options);
  return withOutcome(options, "deploy", async (outcome) => {
    outcome.planned(plan);
    return deployPlanned(options, plan, outcome);
  });
}

async function deployPlanned(options: SessionOptions, plan: RunPlan, outcome: RunOutcome): Promise<FlowResult> {
  const { fap } = options;
  const build = runContext(options, "deploy", undefined, options.dryRun ?? false);
  await runBuildStage(fap, build);
  const session = await openSession("deploy", options, plan);
  outcome.opened(session);
  // After a failure, the directories the lock made go too while they are empty.
  const unlock = (ctx: HostContext, first: string) => releaseLockCommand(ctx.paths, ctx.deployId, first, ctx.before.made);
  const fail = (list: HostFailure[], outcomes: HostOutcome[], note: string) => failRun(fap, session, "deploy", list, outcomes, note);

  // Prepare everywhere; with --max-failed a few hosts may drop out and the rest go on.
  const prepared = await runPhasesTolerant(fap, session, DEPLOY_PREPARE, options.signal, options.rollout?.maxFailed ?? 0);
  const dropped = session.contexts.filter((ctx) => !prepared.active.includes(ctx));
  if (prepared.overLimit) {
    const undo = await undoAndUnlock(fap, session.contexts, discard, unlock);
    const outcomes = undoneOutcomes(session.contexts, prepared.failures, undo, "not-switched", "not-switched");
    return fail(prepared.failures, outcomes, outcomeNote(outcomes, "no host was switched; the new release was removed from every host", "not switched, the new release removed"));
  }
  const droppedOutcomes = undoneOutcomes(dropped, prepared.failures, await undoAndUnlock(fap, dropped, discard, unlock), "not-switched", "not-switched");
  const live = { ...session, contexts: prepared.active };

  // The release phase (release_command): every host is prepared, none has switched.
  const released = await runReleasePhase(fap, live, dropped, options.signal);
  if (released.length > 0) {
    const undo = await undoAndUnlock(fap, live.contexts, discard, unlock);
    const outcomes = [...droppedOutcomes, ...undoneOutcomes(live.contexts, released, undo, "not-switched", "not-switched")];
    // The release phase is what stopped the run (hosts that dropped out alone would not have): its failure, and hint, first.
    return fail([...released, ...prepared.failures], outcomes, outcomeNote(outcomes, "no host was switched; the new release was removed from every host", "not switched, the new release removed"));
  }

  // Only a host that went through every phase gets `ok`; pruning rides with the unlock: one round trip fewer per host.
  const finish = (ctx: HostContext, ok: boolean) => [ok ? appendLogCommand(ctx.paths, logEntry(ctx, "ok")) : undefined, pruneCommand(ctx)].filter(Boolean).join(" && ") || undefined;
  const finalUnlock = (ctx: HostContext, first: string) => releaseLockCommand(ctx.paths, ctx.deployId, first);
  // With nothing to run between the switch and the unlock, both go in one command.
  const folded = canFinishWithSwitch(fap, live.contexts, AFTER_SWITCH);
  // Publish (a canary first, then batch by batch; all at once by default); a failure puts every host back.
  const published = folded
    ? await publishAndFinish(fap, live, AFTER_SWITCH, options.signal, (ctx) => finish(ctx, true), finalUnlock)
    : await publishInSteps(fap, live, options.rollout, options.signal);
  if (published.failures.length > 0) {
    const reached = "reached" in published ? published.reached : live.contexts;
    // A host never reached (after a failed canary, or in a later batch) still has its `current`: only its new release goes.
    const putBack = (ctx: HostContext) => (reached.includes(ctx) ? `${restorePrevious(ctx)} && ${discard(ctx)}` : discard(ctx));
    const undo = await undoAndUnlock(fap, live.contexts, putBack, unlock);
    const outcomes = [
      ...droppedOutcomes,
      ...undoneOutcomes(reached, published.failures, undo, "switched-back", "not-switched-back"),
      ...undoneOutcomes(live.contexts.filter((ctx) => !reached.includes(ctx)), published.failures, undo, "not-switched", "not-switched"),
    ];
    const note = outcomeNote(outcomes, "every host was switched back to the release it had before", "switched back to their previous release");
    return fail([...prepared.failures, ...published.failures], outcomes, note);
  }

  const failures = "unlocked" in published ? [] : await runPhases(fap, live, DEPLOY_FINISH, options.signal);
  const unlocked = "unlocked" in published ? published.unlocked : await undoAndUnlock(fap, live.contexts, (ctx) => finish(ctx, failures.length === 0), finalUnlock);
  const liveOutcomes = live.contexts.map((ctx): HostOutcome => {
    const result = unlocked.get(ctx);
    const failure = failureOf(failures, ctx);
    const state = failures.length === 0 && result?.ok ? "done" : "live";
    return { ctx, state, failure, why: result?.ok ? undefined : result?.reason, lockLeft: result?.lockLeft ?? false };
  });
  const outcomes = [...droppedOutcomes, ...liveOutcomes];
  if (failures.length > 0) return fail(failures, outcomes, outcomeNote(outcomes, "the new release is live; only finishing steps failed", "the new release is live"));
  const others = `the new release is live on the other ${live.contexts.length} host(s) (within --max-failed)`;
  if (prepared.failures.length > 0) return fail(prepared.failures, outcomes, outcomeNote(outcomes, others, "the new release is live"));
  if (outcomes.some((o) => o.state !== "done")) return fail([], outcomes, outcomeNote(outcomes, "", "the new release is live and marked ok"));
  emitHostResults(fap, session, outcomes);
  doneButInterrupted("deploy", options.signal, "the new release is live on every host and the lock was freed");
  return flowResult(session);
}

/** Removes the releases keep_releases no longer keeps (known from the state read at the start). */
function pruneCommand(ctx: HostContext): string | undefined {
  const prune = releasesToPrune(ctx.before, ctx.release.id ?? "", Number(ctx.config.keep_releases));
  return prune.length > 0 ? removeReleasesCommand(ctx.paths, prune) : undefined;
}

function discard(ctx: HostContext): string {
  return discardReleaseCommand(ctx.paths, ctx.paths.release ?? "", logEntry(ctx, "failed"));
}

function restorePrevious(ctx: HostContext): string {
  const previous = ctx.release.previousId;
  if (previous === undefined) return removeCurrentCommand(ctx.paths);
  return switchCurrentCommand(ctx.paths, `${ctx.paths.releases}/${previous}`, previous);
}
