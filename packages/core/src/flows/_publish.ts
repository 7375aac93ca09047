import type { HostContext } from "../context.js";
import type { FapInstance } from "../fap.js";
import type { HostFailure } from "../run/run-phase.js";
import type { Session } from "../run/session-types.js";
import { splitBatches, waitBetweenBatches, type Rollout } from "../run/rollout.js";
import { CHECK, PUBLISH } from "./phases.js";
import { runPhases } from "./_run.js";

export interface PublishResult {
  failures: HostFailure[];
  /** Hosts whose `publishing` was started: those that may have switched, and need putting back. */
  reached: HostContext[];
}

/**
 * Publishes (`publishing`, `published`, `checking`) batch by batch, all at once by default. With
 * a canary, its hosts go first, alone; after `canary_wait` seconds they are checked again, and
 * only then do the others follow, in batches. Stops at the first failure: the caller puts back
 * every host reached.
 */
export async function publishInSteps(fap: FapInstance, live: Session, rollout: Rollout | undefined, signal: AbortSignal | undefined): Promise<PublishResult> {
  const canary = canaryHosts(live.contexts);
  const rest = live.contexts.filter((ctx) => !canary.includes(ctx));
  const reached: HostContext[] = [];
  const check = (hosts: HostContext[]) => runPhases(fap, { ...live, contexts: hosts }, CHECK, signal);
  const publish = async (hosts: HostContext[]) => {
    reached.push(...hosts);
    const failures = await runPhases(fap, { ...live, contexts: hosts }, PUBLISH, signal);
    // Ctrl-C while publishing starts no check: the next step reports the interruption, as it did before checks existed.
    return failures.length > 0 || signal?.aborted ? failures : check(hosts);
  };

  if (canary.length > 0) {
    const names = canary.map((ctx) => ctx.host);
    const waitMs = Number(canary[0]!.config.canary_wait ?? 0) * 1000;
    fap.events.emit("canary", { state: "publish", hosts: names });
    let failures = await publish(canary);
    if (failures.length === 0 && !signal?.aborted) {
      fap.events.emit("canary", { state: "wait", hosts: names, waitMs });
      await waitBetweenBatches(waitMs, signal);
    }
    // The second look: an app that answers once and dies a minute later is caught here (after Ctrl-C, it reports the interruption).
    if (failures.length === 0) failures = await check(canary);
    fap.events.emit("canary", { state: failures.length > 0 ? "failed" : "passed", hosts: names });
    if (failures.length > 0) return { failures, reached };
  }

  for (const [index, batch] of splitBatches(rest, rollout?.batch).entries()) {
    if (index > 0) await waitBetweenBatches(rollout?.batchWaitMs, signal);
    const failures = await publish(batch);
    if (failures.length > 0) return { failures, reached };
  }
  return { failures: [], reached };
}

/**
 * The canary's hosts: `canary` (read from the first target, so the stage's or the top level's
 * value) of them, each role's primary first, then in config order; none when it is 0. A canary
 * of every host is still checked twice.
 */
export function canaryHosts(contexts: readonly HostContext[]): HostContext[] {
  const count = Number(contexts[0]?.config.canary ?? 0);
  if (!(count > 0)) return [];
  const ordered = [...contexts.filter((ctx) => ctx.primary), ...contexts.filter((ctx) => !ctx.primary)];
  return ordered.slice(0, count);
}
