import type { HostContext } from "../context.js";
import type { FapEvents } from "../events.js";
import { runStep, type HostFailure } from "../run/run-phase.js";
import { CONFIG_TASK_OWNER, lookupTask, type TaskRegistry } from "./registry.js";
import { intersectRoles, type Task, type TaskStep } from "./task.js";
import { withActor } from "../hooks/_active-tap.js";
import { tagError } from "../hooks/_tag-tap-errors.js";

export interface TaskRunOptions {
  registry: TaskRegistry;
  events: FapEvents;
  /** Hosts worked on at once. */
  parallel: number;
  signal?: AbortSignal | undefined;
}

interface Step {
  name: string;
  task: Task;
  roles: readonly string[] | undefined;
  /** Only each role's primary host runs it. */
  once: boolean;
  /** The plugin that added the task (its errors name it), or `config`. */
  owner: string;
}

/**
 * Runs a task on the selected hosts (`fap run NAME`). Each function of it is a phase, named
 * after its task: it runs on every host of its roles and finishes there before the next step
 * of a series starts. Stops at the first step in which a host failed.
 */
export async function runTaskOnHosts(name: string, task: Task, contexts: readonly HostContext[], options: TaskRunOptions): Promise<HostFailure[]> {
  const walk = async (step: Step): Promise<HostFailure[]> => {
    const { body } = step.task;
    if (body.kind === "run") {
      const hosts = contexts.filter((ctx) => runsOn(ctx, step));
      if (hosts.length === 0) return [];
      return runStep(options.events, step.name, hosts, options.parallel, options.signal, (ctx) => runBody(ctx, step));
    }
    const steps = body.steps.map((s, i) => resolveStep(step, s, i, options.registry));
    if (body.kind === "parallel") return (await Promise.all(steps.map(walk))).flat();
    for (const next of steps) {
      const failures = await walk(next);
      if (failures.length > 0) return failures;
    }
    return [];
  };
  return walk(topStep(name, task, ownerOf(name, options.registry)));
}

/**
 * Runs a task on one host from inside a hook (`hooks: { published: ["db:migrate"] }`): in
 * the hook's phase, with the hook's context; a step for other roles is skipped.
 */
export async function runTaskOnHost(name: string, task: Task, ctx: HostContext, registry: TaskRegistry): Promise<void> {
  const walk = async (step: Step): Promise<void> => {
    const { body } = step.task;
    if (body.kind === "run") {
      if (!runsOn(ctx, step)) return;
      ctx.log(`task ${step.name}`);
      await runBody(ctx, step);
      return;
    }
    const steps = body.steps.map((s, i) => resolveStep(step, s, i, registry));
    if (body.kind === "parallel") await Promise.all(steps.map(walk));
    else for (const next of steps) await walk(next);
  };
  await walk(topStep(name, task, ownerOf(name, registry)));
}

/** A step's function on one host, as its actor; an error names the step's plugin (not the config's). */
async function runBody(ctx: HostContext, step: Step): Promise<void> {
  const { body } = step.task;
  if (body.kind !== "run") return;
  try {
    await withActor(ctx, `task ${step.name}`, async () => body.run(ctx));
  } catch (error) {
    throw step.owner === CONFIG_TASK_OWNER ? error : tagError(error, step.owner, undefined, ctx.host);
  }
}

function ownerOf(name: string, registry: TaskRegistry): string {
  return registry.get(name)?.owner ?? CONFIG_TASK_OWNER;
}

/**
 * Whether a task would do anything on a target (its role, and whether it is its role's
 * primary): `fap run` connects to no other host.
 */
export function taskRunsOn(task: Task, registry: TaskRegistry, target: { role: string; primary: boolean }): boolean {
  let found = false;
  const walk = (step: Step): void => {
    const { body } = step.task;
    if (body.kind === "run") found ||= runsOn(target, step);
    else body.steps.forEach((s, i) => walk(resolveStep(step, s, i, registry)));
  };
  walk(topStep("", task, CONFIG_TASK_OWNER));
  return found;
}

/** Every role a task's steps are limited to, or undefined if some step runs on any role. */
export function taskRoles(task: Task, registry: TaskRegistry): string[] | undefined {
  const roles = new Set<string>();
  let any = false;
  const walk = (step: Step): void => {
    const { body } = step.task;
    if (body.kind === "run") {
      if (step.roles === undefined) any = true;
      else step.roles.forEach((r) => roles.add(r));
    } else body.steps.forEach((s, i) => walk(resolveStep(step, s, i, registry)));
  };
  walk(topStep("", task, CONFIG_TASK_OWNER));
  return any ? undefined : [...roles];
}

function resolveStep(parent: Step, step: TaskStep, index: number, registry: TaskRegistry): Step {
  if (typeof step === "string") {
    const entry = lookupTask(registry, step);
    return { name: step, task: entry.task, roles: intersectRoles(parent.roles, entry.task.roles), once: parent.once || entry.task.once === true, owner: entry.owner };
  }
  return { name: `${parent.name}[${index + 1}]`, task: step, roles: intersectRoles(parent.roles, step.roles), once: parent.once || step.once === true, owner: parent.owner };
}

function topStep(name: string, task: Task, owner: string): Step {
  return { name, task, roles: task.roles, once: task.once === true, owner };
}

function runsOn(target: { role: string; primary: boolean }, step: Step): boolean {
  return (step.roles === undefined || step.roles.includes(target.role)) && (!step.once || target.primary);
}
