import { describe, expect, it } from "vitest";
import type { HostContext } from "../../src/context.js";
import { intersectRoles, isTask, parallel, series, task, taskDirectory, taskFromConfig } from "../../src/tasks/task.js";
import { thrown } from "../../../../test/thrown.js";

// Checks the mutation run (npm run test:mutation) found untested: the exact words and hint of
// each refusal, the forms a YAML task may take, and how roles and `once` combine.

const noop = async () => {};
const HINT = 'write task({ description: "one line", roles: ["web"], run: async (ctx) => { ... } })';

describe("task() refusals", () => {
  it.each([
    ["no spec", () => task(undefined as never), "task(): expected { description, run }"],
    ["a null spec", () => task(null as never), "task(): expected { description, run }"],
    ["a description that is not a string", () => task({ description: 3 as never, run: noop }), "task(): description must be a non-empty string (it is what fap tasks shows)"],
    ["a blank description", () => task({ description: "  ", run: noop }), "task(): description must be a non-empty string (it is what fap tasks shows)"],
    ["roles with an empty name", () => task({ description: "d", roles: ["web", ""], run: noop }), "task(): roles must be a non-empty list of role names"],
    ["roles that are not names", () => task({ description: "d", roles: [3] as never, run: noop }), "task(): roles must be a non-empty list of role names"],
    ["roles that are no list", () => task({ description: "d", roles: { web: true } as never, run: noop }), "task(): roles must be a non-empty list of role names"],
    ["once that is not a boolean", () => task({ description: "d", once: "yes" as never, run: noop }), "task(): once must be true or false"],
    ["a run that is no function", () => task({ description: "migrate", run: "make" as never }), "task 'migrate': run must be a function or series(...)/parallel(...)"],
    ["an empty series", () => series(), "series(): give at least one task"],
    ["an empty parallel", () => parallel(), "parallel(): give at least one task"],
    ["a series step that is no task", () => series("a", { description: "x" } as never), "series(): each step is a task name or a task"],
  ])("refuses %s, with the way to write one", (_name, make, message) => {
    const error = thrown(make);
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toBe(message);
    expect(error.hint).toBe(HINT);
  });
});

describe("task()", () => {
  it("takes one role as a string, and keeps the roles as a frozen copy", () => {
    const roles = ["web", "worker"];
    const made = task({ description: "d", roles, run: noop });
    roles.push("db");
    expect(made.roles).toEqual(["web", "worker"]);
    expect(Object.isFrozen(made.roles)).toBe(true);
    expect(task({ description: "d", roles: "web" as never, run: noop }).roles).toEqual(["web"]);
    expect(task({ description: "d", run: noop }).roles).toBeUndefined();
    expect(task({ description: "d", once: false, run: noop }).once).toBe(false);
  });

  it("wrapping a composed task: keeps its steps, limits it to the roles of both, once if either is", () => {
    const inner = task({ description: "inner", roles: ["web", "worker"], once: true, run: series("a", "b") });
    const outer = task({ description: "outer", roles: ["worker", "db"], run: inner });
    expect(outer).toMatchObject({ description: "outer", roles: ["worker"], once: true, body: { kind: "series", steps: ["a", "b"] } });
    expect(task({ description: "o", run: task({ description: "i", run: noop }) }).once).toBe(false);
    expect(task({ description: "o", once: true, run: task({ description: "i", run: noop }) }).once).toBe(true);
    expect(task({ description: "o", run: inner }).roles).toEqual(["web", "worker"]);
  });

  it("composed tasks run on every role, not once, and copy their steps", () => {
    const steps = ["a", "b"];
    const made = series(...steps);
    steps.push("c");
    expect(made).toMatchObject({ roles: undefined, once: false, body: { kind: "series", steps: ["a", "b"] } });
    expect(parallel("a", task({ description: "clear the cache", run: noop })).description).toBe("a and clear the cache");
    expect(series("a").description).toBe("a");
  });
});

describe("isTask", () => {
  it("is true only for what task, series and parallel make", () => {
    expect(isTask(null)).toBe(false);
    expect(isTask(undefined)).toBe(false);
    expect(isTask("a")).toBe(false);
    expect(isTask({ [Symbol.for("fap.task")]: "yes" })).toBe(false);
    expect(isTask({ [Symbol.for("fap.task")]: true })).toBe(true);
    expect(isTask(series("a"))).toBe(true);
  });
});

describe("taskFromConfig", () => {
  it("gives a task back as it is", () => {
    const made = task({ description: "d", run: noop });
    expect(taskFromConfig("x", made)).toBe(made);
  });

  it.each([
    ["a list", ["make"], "tasks.x: expected task({...}) or a map with description and run"],
    ["null", null, "tasks.x: expected task({...}) or a map with description and run"],
    ["a description that is not a string", { description: 3, run: "true" }, "tasks.x: description is missing"],
    ["bad roles", { description: "d", roles: [], run: "true" }, "tasks.x: roles must be a non-empty list of role names"],
    ["a bad once", { description: "d", once: 1, run: "true" }, "tasks.x: once must be true or false"],
    ["run and parallel", { description: "d", run: "true", parallel: ["a"] }, "tasks.x: give run, series or parallel, not several"],
    ["series and parallel", { description: "d", series: ["a"], parallel: ["b"] }, "tasks.x: give series or parallel, not both"],
    ["a series that is no list", { description: "d", series: "a" }, "tasks.x.series: expected a list of task names"],
    ["a parallel holding a number", { description: "d", parallel: ["a", 3] }, "tasks.x.parallel: expected a list of task names"],
    ["no run", { description: "d" }, "tasks.x.run: expected a shell command or a list of them"],
    ["an empty run list", { description: "d", run: [] }, "tasks.x.run: expected a shell command or a list of them"],
    ["a run list holding a number", { description: "d", run: ["make", 3] }, "tasks.x.run: expected a shell command or a list of them"],
    ["a run that is a number", { description: "d", run: 3 }, "tasks.x.run: expected a shell command or a list of them"],
  ])("refuses %s", (_name, value, message) => {
    const error = thrown(() => taskFromConfig("x", value));
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toBe(message);
    expect(error.hint).toBe(HINT);
  });

  it("takes a function as run (a config in TypeScript), with its roles and once", () => {
    const run = () => undefined;
    const made = taskFromConfig("x", { description: "d", roles: ["web"], once: true, run });
    expect(made).toMatchObject({ description: "d", roles: ["web"], once: true, body: { kind: "run", run } });
  });

  it("keeps roles and once of a series, and takes tasks among its names", () => {
    const inline = task({ description: "i", run: noop });
    expect(taskFromConfig("x", { description: "d", roles: "web", once: true, parallel: ["a", inline] })).toMatchObject({
      description: "d",
      roles: ["web"],
      once: true,
      body: { kind: "parallel", steps: ["a", inline] },
    });
    expect(taskFromConfig("x", { description: "d", run: "true" })).toMatchObject({ roles: undefined, once: false });
  });

  it("runs its shell commands in the release being built, one after another", async () => {
    const made = taskFromConfig("x", { description: "d", run: "make" });
    const ran: Array<[string, string | undefined]> = [];
    const ctx = { paths: { current: "/app/current", release: "/app/releases/2" }, run: async (c: string, o?: { cwd?: string }) => void ran.push([c, o?.cwd]) } as unknown as HostContext;
    await (made.body as { run: (ctx: HostContext) => Promise<void> }).run(ctx);
    expect(ran).toEqual([["make", "/app/releases/2"]]);
    expect(taskDirectory(ctx)).toBe("/app/releases/2");
  });
});

describe("intersectRoles", () => {
  it("is the roles in both, or the one list given", () => {
    expect(intersectRoles(["a", "b"], ["b", "c"])).toEqual(["b"]);
    expect(intersectRoles(undefined, ["b"])).toEqual(["b"]);
    expect(intersectRoles(["a"], undefined)).toEqual(["a"]);
    expect(intersectRoles(undefined, undefined)).toBeUndefined();
  });
});
