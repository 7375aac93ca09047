import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { HostContext } from "../../src/context.js";
import { createFap } from "../../src/fap.js";
import { deploy } from "../../src/flows/deploy.js";
import { restart } from "../../src/flows/restart.js";
import { checkHookNames, configHooksPlugin, hasConfigHook } from "../../src/hooks/config-hooks-plugin.js";
import { hookNamesFor } from "../../src/hooks/fapistrano-hook-names.js";
import { createHooks } from "../../src/hooks/hooks.js";
import { createTaskRegistry } from "../../src/tasks/registry.js";
import { thrown } from "../../../../test/thrown.js";
import { useFixture } from "../_fixture.js";

// Checks the mutation run (npm run test:mutation) found untested: the exact words of the
// `hooks` key's refusals, which entries look like a task name, and where entries run.

const HOOKS_HINT =
  "hooks are starting, started, updating, updated, reverting, reverted, publishing, published, checking, finishing, " +
  "finishingRollback, finished, restarting, restarted (or Fapistrano's names: deploy.starting, deploy.finishing_rollback, ...)";

describe("checkHookNames", () => {
  it("refuses an unknown hook, even one named like a property of every object, listing the hooks", () => {
    for (const name of ["toString", "constructor", "update"]) {
      const error = thrown(() => checkHookNames({ [name]: "make" }));
      expect([error.code, error.message, error.hint]).toEqual(["E_CONFIG", `hooks: unknown hook '${name}'`, HOOKS_HINT]);
    }
  });

  it("says how to write a hook given under both names", () => {
    expect(thrown(() => checkHookNames({ "deploy.finished": "a", finished: "b" })).hint).toBe("write its commands under one name, as a list: finished: [...]");
  });

  it("ignores a value that is no map, and entries when no tasks are given", () => {
    expect(() => checkHookNames(undefined)).not.toThrow();
    expect(() => checkHookNames("make")).not.toThrow();
    expect(() => checkHookNames({ updated: "db:migrate" })).not.toThrow();
  });

  it("refuses an entry named like a task that is not one, listing the tasks", () => {
    const none = createTaskRegistry([], undefined);
    const error = thrown(() => checkHookNames({ updated: ["make", "db:migrate"] }, none));
    expect([error.code, error.message]).toEqual(["E_CONFIG", "hooks.updated: unknown task 'db:migrate'"]);
    expect(error.hint).toBe("tasks: (none); define it under tasks, or add the plugin that has it");
    const some = createTaskRegistry([], { "db:migrate": { description: "d", run: "true" }, "db:seed": { description: "d", run: "true" } });
    expect(thrown(() => checkHookNames({ "deploy.updated": "db:migrat" }, some)).hint).toBe("tasks: db:migrate, db:seed; define it under tasks, or add the plugin that has it");
    expect(() => checkHookNames({ updated: ["db:migrate", "db:seed"] }, some)).not.toThrow();
  });

  it.each([["ab:c"], ["a:bc"], ["a:b:c"], ["A.1-x_y:b.c-d_e"], ["9:9"]])("takes %s for a task name", (entry) => {
    expect(thrown(() => checkHookNames({ updated: entry }, createTaskRegistry([], undefined))).message).toBe(`hooks.updated: unknown task '${entry}'`);
  });

  it.each([["make"], ["echo a:b"], ["a:b c"], [":a"], ["a:"], ["-a:b"], ["a:b/c"], ["a/b:c"], ["a::b"]])("takes %s for a shell command", (entry) => {
    expect(() => checkHookNames({ updated: entry }, createTaskRegistry([], undefined))).not.toThrow();
  });
});

describe("hookNamesFor", () => {
  it("is the hook's own name, then its Fapistrano alias, and no other hook's", () => {
    expect(hookNamesFor("updated")).toEqual(["updated", "deploy.updated"]);
    expect(hookNamesFor("finishingRollback")).toEqual(["finishingRollback", "deploy.finishing_rollback"]);
    expect(hookNamesFor("checking")).toEqual(["checking"]);
  });
});

describe("hasConfigHook", () => {
  const ctx = (hooks: unknown) => ({ config: { hooks } }) as unknown as HostContext;

  it("is whether the hook has entries, under its name or its Fapistrano alias", () => {
    expect(hasConfigHook(ctx({ updated: "make" }), "updated")).toBe(true);
    expect(hasConfigHook(ctx({ "deploy.updated": ["make"] }), "updated")).toBe(true);
    expect(hasConfigHook(ctx({ updated: [] }), "updated")).toBe(false);
    expect(hasConfigHook(ctx({ updating: "make" }), "updated")).toBe(false);
    expect(hasConfigHook(ctx({ "deploy.updating": "make" }), "updated")).toBe(false);
    expect(hasConfigHook(ctx({ "deploy.finishing_rollback": "make" }), "checking")).toBe(false);
    expect(hasConfigHook(ctx(undefined), "updated")).toBe(false);
    expect(hasConfigHook(ctx("make"), "updated")).toBe(false);
  });
});

describe("the hooks key's entries", () => {
  const fx = useFixture();

  it("run in current when the run makes no release (restart), under a Fapistrano name too", async () => {
    await deploy(fx.options(createFap(), fx.config()));
    await restart(fx.options(createFap(), fx.config({ hooks: { "deploy.restarting": ["pwd -P > restarting"] } })));
    const current = fx.current("a")!;
    expect(readFileSync(join(fx.root("a"), "releases", current, "restarting"), "utf8").trim()).toBe(join(fx.root("a"), "releases", current));
  });

  it("run with a fap built without tasks, as shell commands", async () => {
    const result = await deploy(fx.options(createFap(), fx.config({ hooks: { updated: "pwd -P > here" } })));
    const id = result.hosts[0]!.release!;
    expect(readFileSync(join(fx.root("a"), "releases", id, "here"), "utf8").trim()).toBe(join(fx.root("a"), "releases", id));
  });
});

describe("configHooksPlugin", () => {
  it("without a task registry runs every entry as a command, in the release", async () => {
    const hooks = createHooks();
    configHooksPlugin().apply({ hooks } as never);
    const ran: Array<[string, unknown]> = [];
    const ctx = {
      host: "a",
      config: { hooks: { updated: ["db:migrate", "make"] } },
      release: { id: "2" },
      paths: { releases: "/app/releases", current: "/app/current" },
      run: async (command: string, options: unknown) => void ran.push([command, options]),
    } as unknown as HostContext;
    await hooks.updated.promise(ctx);
    expect(ran).toEqual([
      ["db:migrate", { cwd: "/app/releases/2" }],
      ["make", { cwd: "/app/releases/2" }],
    ]);
  });
});
