import { releaseLockCommand } from "../commands/lock.js";
import { discardReleaseCommand, removeCurrentCommand, removeReleasesCommand, switchCurrentCommand } from "../commands/release.js";
import { releasesToPrune } from "../host-state.js";
import type { HostContext } from "../context.js";
import { logEntry } from "../_log-entry.js";
import { failureError, type HostFailure } from "../run-phase.js";
import { openSession, planRun, type SessionOptions } from "../session.js";
import { DEPLOY_FINISH, DEPLOY_PREPARE, PUBLISH } from "./phases.js";
import { beforeHosts, cleanUp, flowResult, notifyFailed, reportHosts, runContext, runPhases, runPhasesTolerant, type FlowResult } from "./_run.js";
import { splitBatches, waitBetweenBatches } from "../rollout.js";

/**
 * Build once locally, then on every host: prepare the release, publish it, finish. A failure
 * before publishing removes the new release everywhere and moves no `current`; a failure while
 * publishing puts every host back on the release it had. Every way out frees the lock.
 */
export async function deploy(options: SessionOptions): Promise<FlowResult> {
  const { fap } = options;
  const dryRun = options.dryRun ?? false;
  const plan = planRun(options);
  const build = runContext(options, "deploy", undefined, dryRun);
  const session = await beforeHosts(fap, build, async () => {
    await fap.hooks.building.promise(build);
    await fap.hooks.built.promise(build);
    return openSession("deploy", options, plan);
  });
  const run = runContext(options, "deploy", session, dryRun);
  // After a failure, the directories the lock made go too while they are empty.
  const unlock = (ctx: HostContext, first?: string) => releaseLockCommand(ctx.paths, ctx.deployId, first, ctx.before.made);

  // Prepare everywhere; with --max-failed a few hosts may drop out and the rest go on.
  const prepared = await runPhasesTolerant(fap, session, DEPLOY_PREPARE, options.signal, options.rollout?.maxFailed ?? 0);
  const dropped = session.contexts.filter((ctx) => !prepared.active.includes(ctx));
  if (prepared.overLimit) {
    await cleanUp(fap, session.contexts, (ctx) => unlock(ctx, discard(ctx)));
    return fail(prepared.failures, "no host was switched; the new release was removed from every host", "not switched");
  }
  await cleanUp(fap, dropped, (ctx) => unlock(ctx, discard(ctx)));
  const live = { ...session, contexts: prepared.active };

  // Publish batch by batch (all at once by default); a failure puts every host back.
  const batches = splitBatches(live.contexts, options.rollout?.batch);
  let failures: HostFailure[] = [];
  for (const [index, batch] of batches.entries()) {
    if (index > 0) await waitBetweenBatches(options.rollout?.batchWaitMs, options.signal);
    failures = await runPhases(fap, { ...live, contexts: batch }, PUBLISH, options.signal);
    if (failures.length > 0) {
      await cleanUp(fap, live.contexts, (ctx) => unlock(ctx, `${restorePrevious(ctx)} && ${discard(ctx)}`));
      return fail([...prepared.failures, ...failures], "every host was switched back to the release it had before", "switched back");
    }
  }

  failures = await runPhases(fap, live, DEPLOY_FINISH, options.signal);
  // Pruning rides with the unlock: one round trip fewer per host.
  await cleanUp(fap, live.contexts, (ctx) => releaseLockCommand(ctx.paths, ctx.deployId, pruneCommand(ctx)));
  if (failures.length > 0) return fail(failures, "the new release is live; only finishing steps failed");
  if (prepared.failures.length > 0) {
    return fail(prepared.failures, `the new release is live on the other ${live.contexts.length} host(s) (within --max-failed)`);
  }
  reportHosts(fap, session, []);
  return flowResult(session);

  async function fail(list: HostFailure[], note: string, othersNote?: string): Promise<never> {
    reportHosts(fap, session, list, othersNote);
    const error = failureError("deploy", list, note);
    await notifyFailed(fap, error, run);
    throw error;
  }
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
