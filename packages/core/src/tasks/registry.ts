import { isPlainObject } from "../config/interpolate.js";
import { FapError } from "../errors.js";
import type { FapPlugin } from "../plugin.js";
import { isTask, taskFromConfig, type Task } from "./task.js";

/** The flows `fap run` knows without any plugin; no task may take their names. */
export const BUILTIN_TASKS: Readonly<Record<string, string>> = Object.freeze({
  deploy: "deploy a new release to every selected host and switch current to it",
  rollback: "switch every selected host back to its previous good release",
  restart: "restart the application on every selected host",
});

/** Owner of the tasks written in the config's `tasks` key. */
export const CONFIG_TASK_OWNER = "config";

export interface TaskEntry {
  readonly name: string;
  readonly task: Task;
  /** The plugin that added it (`fap:supervisorctl`), or `config`. */
  readonly owner: string;
}

export type TaskRegistry = ReadonlyMap<string, TaskEntry>;

const NAME = /^[A-Za-z0-9][A-Za-z0-9:._-]*$/;

/**
 * Every task of a run: the plugins' (in plugin order), then the config's. Names are unique,
 * every name a composed task refers to exists, and no task contains itself: checked here,
 * before any host is touched.
 */
export function createTaskRegistry(plugins: readonly FapPlugin[], configTasks: unknown): TaskRegistry {
  const registry = new Map<string, TaskEntry>();
  const add = (name: string, value: unknown, owner: string) => {
    const where = owner === CONFIG_TASK_OWNER ? `tasks.${name}` : `plugin ${owner}: task '${name}'`;
    if (!NAME.test(name)) {
      throw new FapError("E_CONFIG", `${where}: '${name}' is not a valid task name`, { hint: "use letters, digits and : . _ -, e.g. db:migrate" });
    }
    if (Object.hasOwn(BUILTIN_TASKS, name)) {
      throw new FapError("E_CONFIG", `${where}: '${name}' is a built-in flow`, { hint: "give the task another name, e.g. app:" + name });
    }
    const existing = registry.get(name);
    if (existing) {
      throw new FapError("E_CONFIG", `task '${name}' is defined by both ${existing.owner} and ${owner}`, { hint: "rename one of them" });
    }
    if (owner !== CONFIG_TASK_OWNER && !isTask(value)) {
      throw new FapError("E_PLUGIN", `${where} is not a task`, { hint: "make plugin tasks with task({ description, run }) from @fap/core" });
    }
    registry.set(name, { name, task: taskFromConfig(name, value), owner });
  };
  for (const plugin of plugins) {
    for (const [name, value] of Object.entries(plugin.tasks ?? {})) add(name, value, plugin.name);
  }
  if (configTasks !== undefined && configTasks !== null) {
    if (!isPlainObject(configTasks)) {
      throw new FapError("E_CONFIG", "tasks must be a map of task name to task", { hint: "tasks: { 'db:migrate': task({ description, run }) }" });
    }
    for (const [name, value] of Object.entries(configTasks)) add(name, value, CONFIG_TASK_OWNER);
  }
  for (const entry of registry.values()) checkSteps(entry.name, entry.task, registry, [entry.name]);
  return registry;
}

/** The task a name means, or an error listing the tasks there are. */
export function lookupTask(registry: TaskRegistry, name: string): TaskEntry {
  const entry = registry.get(name);
  if (entry) return entry;
  const known = [...Object.keys(BUILTIN_TASKS), ...registry.keys()];
  throw new FapError("E_USAGE", `unknown task '${name}'`, { hint: `tasks: ${known.join(", ")} (fap tasks describes them)` });
}

function checkSteps(owner: string, task: Task, registry: TaskRegistry, path: readonly string[]): void {
  if (task.body.kind === "run") return;
  for (const step of task.body.steps) {
    if (typeof step !== "string") {
      checkSteps(owner, step, registry, path);
      continue;
    }
    if (Object.hasOwn(BUILTIN_TASKS, step)) {
      throw new FapError("E_CONFIG", `task '${owner}': '${step}' is a flow and cannot be a step of a task`, {
        hint: `run it on its own: fap run ${step}`,
      });
    }
    const entry = registry.get(step);
    if (!entry) {
      throw new FapError("E_CONFIG", `task '${owner}' refers to an unknown task '${step}'`, {
        // Never empty: the task naming the step is in it.
        hint: `tasks: ${[...registry.keys()].join(", ")}`,
      });
    }
    if (path.includes(step)) {
      throw new FapError("E_CONFIG", `tasks contain themselves: ${[...path, step].join(" → ")}`, { hint: "break the cycle" });
    }
    checkSteps(owner, entry.task, registry, [...path, step]);
  }
}
