import { failureError } from "../run-phase.js";
import { openSession, type SessionOptions } from "../session.js";
import { RESTART } from "./phases.js";
import { beforeHosts, flowResult, notifyFailed, reportHosts, runContext, runPhases, type FlowResult } from "./_run.js";

/** Fires restarting/restarted on every host; plugins (supervisorctl, ...) do the work. */
export async function restart(options: SessionOptions): Promise<FlowResult> {
  const { fap } = options;
  const session = await beforeHosts(fap, runContext(options, "restart", undefined, options.dryRun ?? false), () =>
    openSession("restart", options),
  );
  const failures = await runPhases(fap, session, RESTART, options.signal);
  reportHosts(fap, session, failures);
  if (failures.length > 0) {
    const error = failureError("restart", failures, "hosts not listed were restarted");
    await notifyFailed(fap, error, runContext(options, "restart", session, options.dryRun ?? false));
    throw error;
  }
  return flowResult(session);
}
