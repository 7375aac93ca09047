import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FapConfig } from "../../src/config/types.js";
import type { FapEventMap } from "../../src/events.js";
import { createFap, type FapInstance } from "../../src/fap.js";
import { deploy } from "../../src/flows/deploy.js";
import { runTask } from "../../src/flows/task.js";
import { parallel, series, task } from "../../src/tasks/task.js";
import { sh } from "../../src/shell/quote.js";
import { createFixture, rejection, type Fixture } from "../_fixture.js";

let fx: Fixture;
beforeEach(() => {
  fx = createFixture();
});
afterEach(() => fx.cleanup());

/** a is a web host, b a worker. */
function config(extra: Record<string, unknown> = {}): FapConfig {
  const path = `${fx.tmp}/%(host)s/app`;
  return { ...extra, stage_role_configs: { production: { web: { hosts: ["a"], path }, worker: { hosts: ["b"], path } } } };
}

function record<K extends keyof FapEventMap>(fap: FapInstance, type: K): Array<FapEventMap[K][0]> {
  const seen: Array<FapEventMap[K][0]> = [];
  (fap.events.on as (t: K, l: (e: FapEventMap[K][0]) => void) => void)(type, (e) => seen.push(e));
  return seen;
}

const append = (line: string) => task({ description: line, run: (ctx) => ctx.run(sh`echo ${line} >> ${`${ctx.paths.root}/steps`}`) });

describe("runTask", () => {
  it("runs each step as a phase on the hosts of its roles, the steps of a series one after another", async () => {
    const tasks = {
      "db:migrate": task({ description: "migrate", roles: ["web"], run: append("migrate") }),
      "cache:clear": append("clear"),
      all: series("db:migrate", parallel("cache:clear", append("inline"))),
    };
    await deploy(fx.options(createFap(), config()));
    const fap = createFap([], { tasks });
    const phases = record(fap, "phase");
    const hostPhases = record(fap, "host-phase");
    const commands = record(fap, "command");

    const result = await runTask(fx.options(fap, config()), "all");

    expect(result.hosts.map((h) => h.host)).toEqual(["a", "b"]);
    expect(readFileSync(join(fx.root("a"), "steps"), "utf8").split("\n").filter(Boolean).sort()).toEqual(["clear", "inline", "migrate"]);
    expect(readFileSync(join(fx.root("a"), "steps"), "utf8").split("\n")[0]).toBe("migrate");
    expect(readFileSync(join(fx.root("b"), "steps"), "utf8").split("\n").filter(Boolean).sort()).toEqual(["clear", "inline"]);
    expect(phases.filter((p) => p.state === "start").map((p) => [p.phase, p.hosts])).toEqual([
      ["db:migrate", 1],
      ["cache:clear", 2],
      ["all[2][2]", 2],
    ]);
    expect(hostPhases.filter((e) => e.state === "end").map((e) => [e.phase, e.host, e.role, e.ok])).toContainEqual(["db:migrate", "a", "web", true]);
    expect(commands.map((c) => [c.host, c.phase, c.plugin]).filter(([, phase]) => phase === "db:migrate")).toEqual([["a", "db:migrate", "task db:migrate"]]);
  });

  it("connects only to hosts of the task's roles, and refuses a selection without them", async () => {
    const fap = createFap([], { tasks: { "db:migrate": task({ description: "m", roles: ["web"], run: (ctx) => ctx.run("true") }) } });
    const result = await runTask(fx.options(fap, config()), "db:migrate");
    expect(result.hosts.map((h) => h.host)).toEqual(["a"]);
    const error = await rejection(runTask(fx.options(fap, config(), { selection: { stage: "production", role: "worker" } }), "db:migrate"));
    expect(error.code).toBe("E_NO_ROLE");
    expect(error.message).toBe("task 'db:migrate' runs on role web; the selection has worker");
    expect((await rejection(runTask(fx.options(fap, config()), "nope"))).code).toBe("E_USAGE");
    expect(error.hint).toBe("select a stage that has that role, e.g. -r web");
  });

  it("gives the task's steps contexts of the task flow", async () => {
    const flows: string[] = [];
    const fap = createFap([], { tasks: { look: task({ description: "l", run: async (ctx) => void flows.push(`${ctx.host} ${ctx.flow}`) }) } });
    await runTask(fx.options(fap, config()), "look");
    expect(flows.sort()).toEqual(["a task", "b task"]);
  });

  it("names every role of a task none of whose roles is selected, and the roles selected", async () => {
    const three = (): FapConfig => {
      const path = `${fx.tmp}/%(host)s/app`;
      return { stage_role_configs: { production: { web: { hosts: ["a"], path }, worker: { hosts: ["b"], path }, cron: { hosts: ["c"], path } } } };
    };
    const fap = createFap([], { tasks: { backup: task({ description: "b", roles: ["db", "cache"], run: (ctx) => ctx.run("true") }) } });
    const error = await rejection(runTask(fx.options(fap, three()), "backup"));
    expect(error.message).toBe("task 'backup' runs on roles db, cache; the selection has web, worker, cron");
    expect(error.hint).toBe("select a stage that has one of them, e.g. -r db");
  });

  it("stops a series at the first failing step and names the host and the step", async () => {
    const fap = createFap([], {
      tasks: {
        fails: task({ description: "f", run: (ctx) => ctx.run(ctx.host === "b" ? "exit 4" : "true") }),
        never: task({ description: "n", run: () => Promise.reject(new Error("must not run")) }),
        all: series("fails", "never"),
      },
    });
    const error = await rejection(runTask(fx.options(fap, config()), "all"));
    expect(error.message).toMatch(/^task all failed on 1 host: b \(fails\): `exit 4` exited with 4$/);
    expect(error.hint).toBe("later steps of the task did not run");
  });

  it("runs a task named in hooks on each host of its roles, in the release being deployed", async () => {
    const fap = createFap([], {
      tasks: { "db:migrate": task({ description: "m", roles: ["web"], run: (ctx) => ctx.run("pwd -P > MIGRATED", { cwd: ctx.paths.release ?? ctx.paths.current }) }) },
    });
    const commands = record(fap, "command");
    const logs = record(fap, "log");
    const result = await deploy(fx.options(fap, config({ hooks: { published: ["db:migrate", "echo done"] } })));
    const release = result.hosts[0]!.release!;
    expect(readFileSync(join(fx.root("a"), "releases", release, "MIGRATED"), "utf8").trim()).toBe(join(fx.root("a"), "releases", release));
    expect(fx.find("MIGRATED")).toHaveLength(1);
    expect(commands.filter((c) => c.phase === "published").map((c) => [c.host, c.plugin]).sort()).toEqual([
      ["a", "task db:migrate"],
      ["a", "fap:hooks"],
      ["b", "fap:hooks"],
    ].sort());
    expect(logs).toContainEqual(expect.objectContaining({ host: "a", level: "info", message: "task db:migrate" }));
  });
});
