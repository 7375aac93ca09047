import { describe, expect, it } from "vitest";
import type { FapPlugin } from "../../src/plugin.js";
import { createTaskRegistry, lookupTask } from "../../src/tasks/registry.js";
import { series, task } from "../../src/tasks/task.js";
import { thrown } from "../../../../test/thrown.js";

// Checks the mutation run (npm run test:mutation) found untested: the exact words and hints of
// the registry's refusals, and the steps it checks inside inline tasks.

const noop = async () => {};
const plugin = (name: string, tasks: FapPlugin["tasks"]): FapPlugin => ({ name, tasks, apply() {} });

describe("createTaskRegistry refusals", () => {
  it.each([
    ["a bad config name", [], { "-x": { description: "d", run: "true" } }, "E_CONFIG", "tasks.-x: '-x' is not a valid task name", "use letters, digits and : . _ -, e.g. db:migrate"],
    ["a name with a bad last character", [], { "x y": { description: "d", run: "true" } }, "E_CONFIG", "tasks.x y: 'x y' is not a valid task name", "use letters, digits and : . _ -, e.g. db:migrate"],
    ["a bad plugin name", [plugin("p", { "x/y": task({ description: "d", run: noop }) })], undefined, "E_CONFIG", "plugin p: task 'x/y': 'x/y' is not a valid task name", "use letters, digits and : . _ -, e.g. db:migrate"],
    ["a built-in name", [plugin("p", { rollback: task({ description: "d", run: noop }) })], undefined, "E_CONFIG", "plugin p: task 'rollback': 'rollback' is a built-in flow", "give the task another name, e.g. app:rollback"],
    ["a name taken twice", [plugin("p", { x: task({ description: "d", run: noop }) }), plugin("q", { x: task({ description: "d", run: noop }) })], undefined, "E_CONFIG", "task 'x' is defined by both p and q", "rename one of them"],
    ["a plugin's non-task", [plugin("p", { x: { description: "d", run: "true" } as never })], undefined, "E_PLUGIN", "plugin p: task 'x' is not a task", "make plugin tasks with task({ description, run }) from @fap/core"],
    ["tasks that are a string", [], "db:migrate", "E_CONFIG", "tasks must be a map of task name to task", "tasks: { 'db:migrate': task({ description, run }) }"],
    ["a flow as a step", [], { all: { description: "d", series: ["deploy"] } }, "E_CONFIG", "task 'all': 'deploy' is a flow and cannot be a step of a task", "run it on its own: fap run deploy"],
    ["an unknown step", [], { all: { description: "d", series: ["nope"] } }, "E_CONFIG", "task 'all' refers to an unknown task 'nope'", "tasks: all"],
    ["an unknown step beside another task", [], { all: { description: "d", series: ["nope"] }, other: { description: "d", run: "true" } }, "E_CONFIG", "task 'all' refers to an unknown task 'nope'", "tasks: all, other"],
    ["an unknown step with no task", [plugin("p", { all: series("nope") })], undefined, "E_CONFIG", "task 'all' refers to an unknown task 'nope'", "tasks: all"],
    ["an unknown step of an inline task", [], { all: { description: "d", series: [series("nope")] } }, "E_CONFIG", "task 'all' refers to an unknown task 'nope'", "tasks: all"],
    ["a task containing itself", [], { a: { description: "d", series: ["a"] } }, "E_CONFIG", "tasks contain themselves: a → a", "break the cycle"],
    ["a cycle through an inline task", [], { a: { description: "d", series: [series("b")] }, b: { description: "d", series: ["a"] } }, "E_CONFIG", "tasks contain themselves: a → b → a", "break the cycle"],
  ])("refuses %s", (_name, plugins, config, code, message, hint) => {
    const error = thrown(() => createTaskRegistry(plugins as FapPlugin[], config));
    expect([error.code, error.message, error.hint]).toEqual([code, message, hint]);
  });
});

describe("createTaskRegistry", () => {
  it("takes no tasks, null tasks and plugins without tasks", () => {
    expect(createTaskRegistry([plugin("p", undefined)], undefined).size).toBe(0);
    expect(createTaskRegistry([], null).size).toBe(0);
  });

  it("takes a task used by two others, which is no cycle", () => {
    const registry = createTaskRegistry([], {
      leaf: { description: "d", run: "true" },
      left: { description: "d", series: ["leaf"] },
      all: { description: "d", parallel: ["left", "leaf", series("left")] },
    });
    expect([...registry.keys()]).toEqual(["leaf", "left", "all"]);
  });
});

describe("lookupTask", () => {
  it("lists the flows and every task when a name is unknown", () => {
    const registry = createTaskRegistry([plugin("p", { "p:status": task({ description: "d", run: noop }) })], { "db:migrate": { description: "d", run: "true" } });
    const error = thrown(() => lookupTask(registry, "nope"));
    expect([error.code, error.message]).toEqual(["E_USAGE", "unknown task 'nope'"]);
    expect(error.hint).toBe("tasks: deploy, rollback, restart, p:status, db:migrate (fap tasks describes them)");
    expect(lookupTask(registry, "p:status")).toMatchObject({ name: "p:status", owner: "p" });
  });
});
