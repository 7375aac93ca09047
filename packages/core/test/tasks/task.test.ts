import { describe, expect, it } from "vitest";
import type { HostContext } from "../../src/context.js";
import { createTaskRegistry, lookupTask } from "../../src/tasks/registry.js";
import { isTask, parallel, series, task, taskFromConfig } from "../../src/tasks/task.js";
import type { FapPlugin } from "../../src/plugin.js";

const noop = async () => {};

describe("task, series, parallel", () => {
  it("make frozen tasks; composed ones describe their steps", () => {
    const migrate = task({ description: "run the migrations", roles: ["web"], run: noop });
    expect(isTask(migrate)).toBe(true);
    expect(Object.isFrozen(migrate)).toBe(true);
    expect(migrate.roles).toEqual(["web"]);
    expect(series("db:migrate", task({ description: "clear the cache", run: noop })).description).toBe("db:migrate then clear the cache");
    expect(parallel("a", "b").description).toBe("a and b");
    expect(task({ description: "both", roles: ["web"], run: parallel("a", "b") })).toMatchObject({ description: "both", roles: ["web"], body: { kind: "parallel" } });
    expect(isTask({ description: "x", run: noop })).toBe(false);
  });

  it.each([
    ["no description", () => task({ description: "", run: noop }), /description must be a non-empty string/],
    ["run not a function", () => task({ description: "x", run: "make" as never }), /run must be a function/],
    ["empty roles", () => task({ description: "x", roles: [], run: noop }), /roles must be a non-empty list/],
    ["empty series", () => series(), /give at least one task/],
    ["bad step", () => parallel(42 as never), /each step is a task name or a task/],
  ])("refuses %s", (_name, make, message) => {
    expect(make).toThrow(message);
  });

  it("reads YAML tasks: shell commands, or series/parallel of names", async () => {
    const shell = taskFromConfig("app:touch", { description: "touch", roles: "web", run: ["touch A", "touch B"] });
    expect(shell).toMatchObject({ description: "touch", roles: ["web"], body: { kind: "run" } });
    const ran: Array<[string, string | undefined]> = [];
    const ctx = { paths: { current: "/app/current", release: undefined }, run: async (c: string, o?: { cwd?: string }) => void ran.push([c, o?.cwd]) } as unknown as HostContext;
    await (shell.body as { run: (ctx: HostContext) => Promise<void> }).run(ctx);
    expect(ran).toEqual([["touch A", "/app/current"], ["touch B", "/app/current"]]);
    expect(taskFromConfig("all", { description: "all", series: ["a", "b"] }).body).toEqual({ kind: "series", steps: ["a", "b"] });
    expect(() => taskFromConfig("x", { run: "true" })).toThrow("tasks.x: description is missing");
    expect(() => taskFromConfig("x", { description: "d", run: "true", series: ["a"] })).toThrow("give run, series or parallel, not several");
    expect(() => taskFromConfig("x", "make")).toThrow("tasks.x: expected task({...})");
  });
});

describe("createTaskRegistry", () => {
  const plugin = (name: string, tasks: FapPlugin["tasks"]): FapPlugin => ({ name, tasks, apply() {} });

  it("holds the plugins' tasks, then the config's, with their owners", () => {
    const registry = createTaskRegistry([plugin("fap:supervisorctl", { "supervisor:status": task({ description: "status", run: noop }) })], {
      "db:migrate": task({ description: "migrate", run: noop }),
      "app:all": { description: "all", series: ["db:migrate", "supervisor:status"] },
    });
    expect([...registry.values()].map((e) => [e.name, e.owner])).toEqual([
      ["supervisor:status", "fap:supervisorctl"],
      ["db:migrate", "config"],
      ["app:all", "config"],
    ]);
    expect(lookupTask(registry, "db:migrate").task.description).toBe("migrate");
    expect(() => lookupTask(registry, "db:migrat")).toThrow(/^unknown task 'db:migrat'$/);
  });

  it.each([
    ["a built-in name", [], { deploy: { description: "d", run: "true" } }, /tasks\.deploy: 'deploy' is a built-in flow/],
    ["a bad name", [], { "has space": { description: "d", run: "true" } }, /not a valid task name/],
    ["a name taken twice", [plugin("p", { x: task({ description: "d", run: noop }) })], { x: { description: "d", run: "true" } }, /task 'x' is defined by both p and config/],
    ["an unknown step", [], { all: { description: "d", series: ["nope"] } }, /task 'all' refers to an unknown task 'nope'/],
    ["a flow as a step", [], { all: { description: "d", series: ["restart"] } }, /'restart' is a flow and cannot be a step/],
    ["a cycle", [], { a: { description: "d", series: ["b"] }, b: { description: "d", parallel: ["a"] } }, /tasks contain themselves: a → b → a/],
    ["a plugin's non-task", [plugin("p", { x: { description: "d" } as never })], undefined, /plugin p: task 'x' is not a task/],
    ["tasks that are not a map", [], ["a"], /tasks must be a map/],
  ])("refuses %s", (_name, plugins, config, message) => {
    expect(() => createTaskRegistry(plugins as FapPlugin[], config)).toThrow(message);
  });
});

describe("once", () => {
  it("is false unless a task says once: true; YAML takes it too; anything but true/false is refused", () => {
    expect(task({ description: "d", run: () => undefined }).once).toBe(false);
    expect(task({ description: "d", once: true, run: () => undefined }).once).toBe(true);
    expect(taskFromConfig("db:status", { description: "d", once: true, run: "bin/status" }).once).toBe(true);
    expect(() => taskFromConfig("db:status", { description: "d", once: "yes", run: "bin/status" })).toThrow("tasks.db:status: once must be true or false");
  });
});
