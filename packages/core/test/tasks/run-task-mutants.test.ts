import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FapConfig } from "../../src/config/types.js";
import { createFap } from "../../src/fap.js";
import { deploy } from "../../src/flows/deploy.js";
import { runTask } from "../../src/flows/task.js";
import { formatFapError } from "../../src/errors.js";
import { sh } from "../../src/shell/quote.js";
import { createTaskRegistry } from "../../src/tasks/registry.js";
import { taskRoles, taskRunsOn } from "../../src/tasks/run-task.js";
import { parallel, series, task, type Task } from "../../src/tasks/task.js";
import { rejection, useFixture } from "../_fixture.js";

// Checks the mutation run (npm run test:mutation) found untested: which hosts a task's steps
// reach (roles, once) at a hook and with `fap run`, and whose name its errors carry.

const fx = useFixture();

/** a and c are web hosts (a the primary), b a worker. */
function config(extra: Record<string, unknown> = {}): FapConfig {
  const path = `${fx.tmp}/%(host)s/app`;
  return { ...extra, stage_role_configs: { production: { web: { hosts: ["a", "c"], path }, worker: { hosts: ["b"], path } } } };
}

/** The file a host's steps append to: beside its deploy path, which `fap run` does not create. */
const stepsFile = (host: string) => join(fx.tmp, `${host}.steps`);

/** A task appending `line` to the host's steps file. */
const append = (line: string, spec: { roles?: string[]; once?: boolean } = {}) =>
  task({ description: line, ...spec, run: (ctx) => ctx.run(sh`echo ${line} >> ${stepsFile(ctx.host)}`) });

const steps = (host: string) => {
  const file = stepsFile(host);
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
};

describe("taskRunsOn and taskRoles", () => {
  const registry = createTaskRegistry([], {
    "web:only": append("w", { roles: ["web"] }),
    "web:once": append("o", { roles: ["web"], once: true }),
    any: append("x"),
  });
  const web = { role: "web", primary: false };
  const primaryWeb = { role: "web", primary: true };
  const worker = { role: "worker", primary: true };

  it("taskRunsOn: some step of the task runs on the target", () => {
    const check = (t: Task) => [web, primaryWeb, worker].map((target) => taskRunsOn(t, registry, target));
    expect(check(series("web:only"))).toEqual([true, true, false]);
    expect(check(series("web:once"))).toEqual([false, true, false]);
    expect(check(series("web:once", "web:only"))).toEqual([true, true, false]);
    expect(check(parallel("web:once", "any"))).toEqual([true, true, true]);
    expect(check(task({ description: "d", once: true, run: series("web:only") }))).toEqual([false, true, false]);
    expect(check(task({ description: "d", roles: ["worker"], run: series("web:only") }))).toEqual([false, false, false]);
    expect(check(append("x", { once: true }))).toEqual([false, true, true]);
  });

  it("taskRoles: the roles of its steps, or undefined when some step runs on every role", () => {
    expect(taskRoles(series("web:only", "web:once"), registry)).toEqual(["web"]);
    expect(taskRoles(series("web:only", append("y", { roles: ["db", "worker"] })), registry)).toEqual(["web", "db", "worker"]);
    expect(taskRoles(parallel("web:only", "any"), registry)).toBeUndefined();
    expect(taskRoles(append("x"), registry)).toBeUndefined();
  });
});

describe("fap run", () => {
  it("runs a once step on each role's primary, and a role's step only there, in a series", async () => {
    const tasks = {
      "web:once": append("once", { roles: ["web"], once: true }),
      all: series("web:once", append("each"), task({ description: "workers", roles: ["worker"], run: append("worker") })),
    };
    await runTask(fx.options(createFap([], { tasks }), config()), "all");
    expect([steps("a"), steps("b"), steps("c")]).toEqual([["once", "each"], ["each", "worker"], ["each"]]);
  });

  it("skips a step none of whose hosts are selected, and runs the next", async () => {
    const tasks = { all: series(append("web", { roles: ["web"] }), append("next")) };
    const fap = createFap([], { tasks });
    const phases: string[] = [];
    fap.events.on("phase", (e) => void (e.state === "start" && phases.push(e.phase)));
    await runTask(fx.options(fap, config(), { selection: { stage: "production", role: "worker" } }), "all");
    expect(steps("b")).toEqual(["next"]);
    // No phase for the skipped step: reporters would show a step that ran on no host.
    expect(phases).toEqual(["all[2]"]);
  });

  it("names the plugin of a failing step, not of the task that runs it", async () => {
    const failing = task({ description: "f", run: () => Promise.reject(new Error("no database")) });
    const fap = createFap([{ name: "fap:db", tasks: { "db:migrate": failing }, apply() {} }], {
      tasks: { all: series("db:migrate"), mine: task({ description: "m", run: () => Promise.reject(new Error("mine")) }) },
    });
    const error = await rejection(runTask(fx.options(fap, config()), "all"));
    expect(error.message).toMatch(/^task all failed on 3 hosts: a, c, b \(db:migrate\): \[fap:db\] no database$/);
    const own = await rejection(runTask(fx.options(fap, config()), "mine"));
    expect(own.message).toMatch(/^task mine failed on 3 hosts: a, c, b \(mine\): mine$/);
  });
});

describe("a task at a hook", () => {
  it("runs a step only on its roles, a once step only on the primary, and the steps of a parallel", async () => {
    const tasks = {
      "app:all": series(append("web", { roles: ["web"] }), append("once", { once: true }), parallel(append("p1"), append("p2"))),
    };
    const fap = createFap([], { tasks });
    await deploy(fx.options(fap, config({ hooks: { published: ["app:all"] } })));
    expect(steps("a").slice(0, 2)).toEqual(["web", "once"]);
    expect(steps("a").slice(2).sort()).toEqual(["p1", "p2"]);
    expect(steps("b").sort()).toEqual(["once", "p1", "p2"]);
    expect(steps("c").slice(0, 1)).toEqual(["web"]);
    expect(steps("c").slice(1).sort()).toEqual(["p1", "p2"]);
  });

  it("runs the steps of a series one after the other", async () => {
    const slow = task({ description: "slow", run: (ctx) => ctx.run(sh`sleep 0.2; echo slow >> ${stepsFile(ctx.host)}`) });
    const fap = createFap([], { tasks: { "app:all": series(slow, append("fast")) } });
    await deploy(fx.options(fap, config({ hooks: { published: "app:all" } })));
    expect(steps("a")).toEqual(["slow", "fast"]);
  });

  it("runs the steps of a parallel at once, at a hook and with fap run", async () => {
    // slow writes only once fast wrote as often as slow did (10 s at most): a fixed sleep lost
    // that race whenever a loaded machine started fast's shell later. Run one after the other,
    // slow would wait the 10 s and write first.
    const lines = (file: string, line: string) => `"$(cat ${file} 2>/dev/null | grep -cx ${line})"`;
    const slow = task({
      description: "slow",
      run: (ctx) => {
        const file = sh`${stepsFile(ctx.host)}`;
        return ctx.run(`i=0; while [ ${lines(file, "fast")} -le ${lines(file, "slow")} ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; echo slow >> ${file}`);
      },
    });
    const fap = createFap([], { tasks: { "app:both": parallel(slow, append("fast")) } });
    await deploy(fx.options(fap, config({ hooks: { published: "app:both" } })));
    expect(steps("a")).toEqual(["fast", "slow"]);
    await runTask(fx.options(fap, config()), "app:both");
    expect(steps("b")).toEqual(["fast", "slow", "fast", "slow"]);
  });

  it("fails the hook naming the plugin and hook of a failing plugin task, and the hook alone for the config's", async () => {
    const failing = task({ description: "f", roles: ["worker"], run: () => Promise.reject(new Error("no database")) });
    const fap = createFap([{ name: "fap:db", tasks: { "db:migrate": failing }, apply() {} }], {
      tasks: { "app:fail": task({ description: "m", roles: ["worker"], run: () => Promise.reject(new Error("mine")) }) },
    });
    const error = await rejection(deploy(fx.options(fap, config({ hooks: { updated: "db:migrate" } }))));
    const failure = (error.cause ?? error) as Parameters<typeof formatFapError>[0];
    expect(formatFapError(failure)).toBe("[fap:db] updated: b: no database");
    const own = await rejection(deploy(fx.options(fap, config({ hooks: { updated: "app:fail" } }))));
    expect(formatFapError((own.cause ?? own) as Parameters<typeof formatFapError>[0])).toBe("[fap:hooks] updated: b: mine");
  });

  it("runs a plain task where no step is limited", async () => {
    const fap = createFap([], { tasks: { "app:one": append("one") } });
    await deploy(fx.options(fap, config({ hooks: { published: "app:one" } })));
    expect([steps("a"), steps("b"), steps("c")]).toEqual([["one"], ["one"], ["one"]]);
  });
});

