import type { HostContext } from "../context.js";
import { FapError } from "../errors.js";

/** What a task does on one host, with that host's context (`ctx.run`, `ctx.config`, `ctx.paths`); what it returns is ignored. */
export type TaskRun = (ctx: HostContext) => unknown;

/** A step of a composed task: a task, or the name of one (user's, plugin's). */
export type TaskStep = Task | string;

export type TaskBody =
  | { readonly kind: "run"; readonly run: TaskRun }
  | { readonly kind: "series" | "parallel"; readonly steps: readonly TaskStep[] };

/**
 * A named piece of work run on the selected hosts (`fap run NAME`) or at a hook
 * (`hooks: { published: ["NAME"] }`). Made by `task`, `series` or `parallel`, never by hand.
 */
export interface Task {
  readonly [TASK_BRAND]: true;
  /** One line for `fap tasks`. */
  readonly description: string;
  /** Only hosts of these roles run it (and every step of it); undefined: every selected host. */
  readonly roles: readonly string[] | undefined;
  /** Runs (every step of it) on each role's primary host only, once per stage.role; no other host is connected to. */
  readonly once: boolean;
  readonly body: TaskBody;
}

export interface TaskSpec {
  description: string;
  roles?: readonly string[] | undefined;
  /**
   * Run on the primary host of each role only (`primary: true`, else the role's first host),
   * e.g. a status query that would say the same on every host. At a hook, too.
   */
  once?: boolean | undefined;
  /** A function run on each host, or a composed task (`series(...)`, `parallel(...)`). */
  run: TaskRun | Task;
}

// Symbol.for: a config loaded through jiti may hold tasks made by another copy of this module.
const TASK_BRAND = Symbol.for("fap.task");

/**
 * A task, gulp-like: `task({ description: "run migrations", roles: ["web"], run: async (ctx) => {
 * await ctx.run("bin/migrate", { cwd: ctx.paths.current }) } })`.
 */
export function task(spec: TaskSpec): Task {
  if (typeof spec !== "object" || spec === null) throw taskError("task(): expected { description, run }");
  if (typeof spec.description !== "string" || spec.description.trim() === "") {
    throw taskError("task(): description must be a non-empty string (it is what fap tasks shows)");
  }
  const roles = checkRoles(spec.roles);
  const once = checkOnce(spec.once);
  if (isTask(spec.run)) return make(spec.description, intersectRoles(roles, spec.run.roles), spec.run.body, once || spec.run.once);
  if (typeof spec.run !== "function") throw taskError(`task '${spec.description}': run must be a function or series(...)/parallel(...)`);
  return make(spec.description, roles, { kind: "run", run: spec.run }, once);
}

/** Steps one after another; each step finishes on every host before the next starts. */
export function series(...steps: TaskStep[]): Task {
  return composed("series", steps, " then ");
}

/** Steps at the same time; done when all are done. */
export function parallel(...steps: TaskStep[]): Task {
  return composed("parallel", steps, " and ");
}

export function isTask(value: unknown): value is Task {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[TASK_BRAND] === true;
}

/**
 * A task as a YAML config writes it: `{ description, roles, run: "shell command" | [commands] }`,
 * or `{ description, series: [names] }` / `{ description, parallel: [names] }`. Shell commands
 * run in the release being deployed (at a hook) or in `current`.
 */
export function taskFromConfig(name: string, value: unknown): Task {
  if (isTask(value)) return value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw taskError(`tasks.${name}: expected task({...}) or a map with description and run`);
  }
  const spec = value as Record<string, unknown>;
  const description = typeof spec.description === "string" ? spec.description : "";
  if (!description) throw taskError(`tasks.${name}: description is missing`);
  const roles = checkRoles(spec.roles, `tasks.${name}`);
  const once = checkOnce(spec.once, `tasks.${name}`);
  const lists = (["series", "parallel"] as const).filter((k) => spec[k] !== undefined);
  if (lists.length > 0 && spec.run !== undefined) throw taskError(`tasks.${name}: give run, series or parallel, not several`);
  if (lists.length > 1) throw taskError(`tasks.${name}: give series or parallel, not both`);
  const kind = lists[0];
  if (kind) {
    const steps = spec[kind];
    if (!Array.isArray(steps) || !steps.every((s) => typeof s === "string" || isTask(s))) {
      throw taskError(`tasks.${name}.${kind}: expected a list of task names`);
    }
    return make(description, roles, { kind, steps: steps as TaskStep[] }, once);
  }
  const commands = typeof spec.run === "string" ? [spec.run] : spec.run;
  if (typeof spec.run === "function") return task({ description, roles, once, run: spec.run as TaskRun });
  if (!Array.isArray(commands) || commands.length === 0 || !commands.every((c) => typeof c === "string")) {
    throw taskError(`tasks.${name}.run: expected a shell command or a list of them`);
  }
  return make(description, roles, { kind: "run", run: shellCommands(commands as string[]) }, once);
}

/** The release being built (at a hook of a deploy or rollback), else `current`. */
export function taskDirectory(ctx: HostContext): string {
  return ctx.paths.release ?? ctx.paths.current;
}

function shellCommands(commands: readonly string[]): TaskRun {
  return async (ctx) => {
    for (const command of commands) await ctx.run(command, { cwd: taskDirectory(ctx) });
  };
}

function composed(kind: "series" | "parallel", steps: TaskStep[], joiner: string): Task {
  if (steps.length === 0) throw taskError(`${kind}(): give at least one task`);
  for (const step of steps) {
    if (typeof step !== "string" && !isTask(step)) throw taskError(`${kind}(): each step is a task name or a task`);
  }
  const description = steps.map((s) => (typeof s === "string" ? s : s.description)).join(joiner);
  return make(description, undefined, { kind, steps: [...steps] }, false);
}

function make(description: string, roles: readonly string[] | undefined, body: TaskBody, once: boolean): Task {
  return Object.freeze({ [TASK_BRAND]: true as const, description, roles, once, body });
}

function checkOnce(once: unknown, where = "task()"): boolean {
  if (once === undefined || typeof once === "boolean") return once === true;
  throw taskError(`${where}: once must be true or false`);
}

function checkRoles(roles: unknown, where = "task()"): readonly string[] | undefined {
  if (roles === undefined) return undefined;
  const list = typeof roles === "string" ? [roles] : roles;
  if (!Array.isArray(list) || list.length === 0 || !list.every((r) => typeof r === "string" && r !== "")) {
    throw taskError(`${where}: roles must be a non-empty list of role names`);
  }
  return Object.freeze([...(list as string[])]);
}

/** Roles of a step inside a task limited to `outer`: only hosts in both run it. */
export function intersectRoles(outer: readonly string[] | undefined, inner: readonly string[] | undefined): readonly string[] | undefined {
  if (outer === undefined) return inner;
  if (inner === undefined) return outer;
  return outer.filter((role) => inner.includes(role));
}

function taskError(message: string): FapError {
  return new FapError("E_CONFIG", message, { hint: "write task({ description: \"one line\", roles: [\"web\"], run: async (ctx) => { ... } })" });
}
