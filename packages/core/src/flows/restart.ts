import { failureError, type HostFailure } from "../run/run-phase.js";
import { splitBatches, waitBetweenBatches } from "../run/rollout.js";
import { openSession } from "../run/session.js";
import { planRun } from "../run/plan.js";
import { type Session, type SessionOptions } from "../run/session-types.js";
import type { FapInstance } from "../fap.js";
import { CHECK, RESTART } from "./phases.js";
import { flowResult, reportHosts, runPhases, type FlowResult } from "./_run.js";
import { withOutcome } from "./_outcome.js";

/**
 * Fires restarting/restarted on every host; plugins (supervisorctl, ...) do the work. With
 * --batch the hosts restart batch after batch (--batch-wait apart): a failed batch stops the
 * run, and later batches are not restarted.
 */
export async function restart(options: SessionOptions): Promise<FlowResult> {
  const { fap } = options;
  return withOutcome(options, "restart", async (outcome) => {
    const plan = planRun(options);
    outcome.planned(plan);
    const session = await openSession("restart", options, plan);
    outcome.opened(session);
    const failures = await restartInBatches(fap, session, options);
    reportHosts(fap, session, failures);
    if (failures.length > 0) throw failureError("restart", failures, "hosts not listed were restarted");
    return flowResult(session);
  });
}

async function restartInBatches(fap: FapInstance, session: Session, options: SessionOptions): Promise<HostFailure[]> {
  const batches = splitBatches(session.contexts, options.rollout?.batch);
  for (const [index, batch] of batches.entries()) {
    if (index > 0) await waitBetweenBatches(options.rollout?.batchWaitMs, options.signal);
    const failures = await runPhases(fap, { ...session, contexts: batch }, [...RESTART, ...CHECK], options.signal);
    if (failures.length > 0) return failures;
  }
  return [];
}
