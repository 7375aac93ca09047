import { FapError } from "../errors.js";
import { failureError } from "../run/run-phase.js";
import { taskRoles, taskRunsOn, runTaskOnHosts } from "../tasks/run-task.js";
import { openSession } from "../run/session.js";
import { planRun, type RunPlan } from "../run/plan.js";
import { type SessionOptions } from "../run/session-types.js";
import { lookupTask } from "../tasks/registry.js";
import { flowResult, reportHosts, type FlowResult } from "./_run.js";
import { withOutcome } from "./_outcome.js";

/**
 * `fap run NAME` for a task (the user's or a plugin's): connects only to the selected hosts of
 * the task's roles and runs it there. No lock is taken and no release is made.
 */
export async function runTask(options: SessionOptions, name: string): Promise<FlowResult> {
  const { fap } = options;
  const entry = lookupTask(fap.tasks, name);
  const plan = onlyWorkingHosts(onlyRoles(planRun(options), taskRoles(entry.task, fap.tasks), name), (t) => taskRunsOn(entry.task, fap.tasks, t));
  return withOutcome(
    options,
    "task",
    async (outcome) => {
      outcome.planned(plan);
      const session = await openSession("task", options, plan);
      outcome.opened(session);
      const failures = await runTaskOnHosts(name, entry.task, session.contexts, {
        registry: fap.tasks,
        events: fap.events,
        parallel: session.parallel,
        signal: options.signal,
      });
      reportHosts(fap, session, failures);
      if (failures.length > 0) throw failureError(`task ${name}`, failures, "later steps of the task did not run");
      return flowResult(session);
    },
    name,
  );
}

/** The plan without the hosts whose role the task never runs on; an error if none is left. */
function onlyRoles(plan: RunPlan, roles: string[] | undefined, name: string): RunPlan {
  if (roles === undefined) return plan;
  const keep = plan.targets.map((t) => roles.includes(t.role));
  if (!keep.includes(true)) {
    const selected = [...new Set(plan.targets.map((t) => t.role))].join(", ");
    throw new FapError("E_NO_ROLE", `task '${name}' runs on role${roles.length === 1 ? "" : "s"} ${roles.join(", ")}; the selection has ${selected}`, {
      hint: `select a stage that has ${roles.length === 1 ? "that role" : "one of them"}, e.g. -r ${roles[0]}`,
    });
  }
  return onlyWorkingHosts(plan, (_, i) => keep[i]!);
}

/** The plan without the hosts `keep` refuses: a `once: true` task connects to each role's primary only. */
function onlyWorkingHosts(plan: RunPlan, keep: (target: RunPlan["targets"][number], index: number) => boolean): RunPlan {
  const kept = plan.targets.map(keep);
  return { ...plan, targets: plan.targets.filter((_, i) => kept[i]), merged: plan.merged.filter((_, i) => kept[i]) };
}
