import { failureError } from "../run-phase.js";
import { openSession, planRun, type SessionOptions } from "../session.js";
import { RESTART } from "./phases.js";
import { flowResult, reportHosts, runPhases, type FlowResult } from "./_run.js";
import { withOutcome } from "./_outcome.js";

/** Fires restarting/restarted on every host; plugins (supervisorctl, ...) do the work. */
export async function restart(options: SessionOptions): Promise<FlowResult> {
  const { fap } = options;
  return withOutcome(options, "restart", async (outcome) => {
    const plan = planRun(options);
    outcome.planned(plan);
    const session = await openSession("restart", options, plan);
    outcome.opened(session);
    const failures = await runPhases(fap, session, RESTART, options.signal);
    reportHosts(fap, session, failures);
    if (failures.length > 0) throw failureError("restart", failures, "hosts not listed were restarted");
    return flowResult(session);
  });
}
