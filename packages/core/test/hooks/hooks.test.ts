import { describe, expect, it } from "vitest";
import type { HostContext } from "../../src/context.js";
import { FapError, formatFapError } from "../../src/errors.js";
import { createHooks, HOST_HOOK_NAMES } from "../../src/hooks/hooks.js";
import { configHooksPlugin } from "../../src/hooks/config-hooks-plugin.js";
import { tagError } from "../../src/hooks/_tag-tap-errors.js";

const ctx = { host: "web1" } as HostContext;

async function rejection(promise: Promise<unknown>): Promise<FapError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FapError);
  return error as FapError;
}

describe("createHooks", () => {
  it("is frozen: hooks cannot be added, replaced or removed", () => {
    const hooks = createHooks();
    expect(Object.isFrozen(hooks)).toBe(true);
    expect(() => {
      (hooks as Record<string, unknown>).extra = 1;
    }).toThrow(TypeError);
    expect(() => {
      (hooks as Record<string, unknown>).updating = null;
    }).toThrow(TypeError);
  });

  it("declares the documented hooks", () => {
    expect(Object.keys(createHooks())).toEqual([
      "building", "built",
      "starting", "started",
      "updating", "updated",
      "reverting", "reverted",
      "publishing", "published", "checking",
      "finishing", "finishingRollback", "finished",
      "restarting", "restarted",
      "succeeded", "failed", "completed",
    ]);
  });

  it("takes taps that return a value: `return run.events.emit(...)` type-checks and runs", async () => {
    const hooks = createHooks();
    const seen: unknown[] = [];
    const events = { emit: (_name: string, event: unknown) => seen.push(event) > 0 };
    hooks.building.tapPromise("test:build", async (run) => {
      if (run.dryRun) return run.events.emit("log", { level: "info", message: "would build" });
    });
    hooks.updating.tap("test:sync", () => 42);
    await hooks.building.promise({ dryRun: true, events } as never);
    await hooks.updating.promise(ctx);
    expect(seen).toEqual([{ level: "info", message: "would build" }]);
  });

  it("gives each run its own hooks", () => {
    expect(createHooks().updating).not.toBe(createHooks().updating);
  });

  it("runs taps in order, awaiting each", async () => {
    const hooks = createHooks();
    const seen: string[] = [];
    hooks.updating.tapPromise("a", async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push("a");
    });
    hooks.updating.tap("b", () => void seen.push("b"));
    hooks.updating.tapAsync("c", (_ctx, done) => setTimeout(() => (seen.push("c"), done()), 1));
    await hooks.updating.promise(ctx);
    expect(seen).toEqual(["a", "b", "c"]);
  });
});

describe("errors thrown by taps", () => {
  it("tapPromise: re-thrown with plugin, hook and host as fields, printed as [plugin] hook: host: message", async () => {
    const hooks = createHooks();
    const original = new Error("fatal: couldn't find remote ref main");
    hooks.updating.tapPromise("fap:git", async () => {
      throw original;
    });
    const error = await rejection(hooks.updating.promise(ctx));
    expect(error.message).toBe("fatal: couldn't find remote ref main");
    expect([error.plugin, error.hook, error.host]).toEqual(["fap:git", "updating", "web1"]);
    expect(formatFapError(error)).toBe("[fap:git] updating: web1: fatal: couldn't find remote ref main");
    expect(formatFapError(error, { host: false })).toBe("[fap:git] updating: fatal: couldn't find remote ref main");
    expect(error.code).toBe("E_PLUGIN");
    expect(error.cause).toBe(original);
  });

  it("tapAsync: an error passed to the callback is tagged", async () => {
    const hooks = createHooks();
    hooks.published.tapAsync("fap:curl", (_ctx, done) => setTimeout(() => done(new Error("HTTP 503")), 1));
    expect(formatFapError(await rejection(hooks.published.promise(ctx)))).toBe("[fap:curl] published: web1: HTTP 503");
  });

  it("tapAsync: an error thrown before the callback is tagged", async () => {
    const hooks = createHooks();
    hooks.published.tapAsync("fap:curl", () => {
      throw new Error("bad url");
    });
    expect(formatFapError(await rejection(hooks.published.promise(ctx)))).toBe("[fap:curl] published: web1: bad url");
  });

  it("tap: a sync throw is tagged", async () => {
    const hooks = createHooks();
    hooks.restarting.tap("fap:supervisorctl", () => {
      throw new Error("no such process");
    });
    expect(formatFapError(await rejection(hooks.restarting.promise(ctx)))).toBe("[fap:supervisorctl] restarting: web1: no such process");
  });

  it("tags a thrown non-Error", async () => {
    const hooks = createHooks();
    hooks.starting.tap("odd", () => {
      throw "a string";
    });
    expect(formatFapError(await rejection(hooks.starting.promise(ctx)))).toBe("[odd] starting: web1: a string");
  });

  it("keeps a FapError's code, hint, host and details", async () => {
    const hooks = createHooks();
    hooks.updated.tapPromise("fap:virtualenv", async () => {
      throw new FapError("E_COMMAND_FAILED", "`pip install` exited with 1", {
        host: "web1",
        hint: "check requirements.txt",
        details: { exitCode: 1 },
      });
    });
    const error = await rejection(hooks.updated.promise(ctx));
    expect(error.code).toBe("E_COMMAND_FAILED");
    expect(formatFapError(error)).toBe("[fap:virtualenv] updated: web1: `pip install` exited with 1");
    expect(error.hint).toBe("check requirements.txt");
    expect(error.host).toBe("web1");
    expect(error.details).toEqual({ exitCode: 1 });
  });

  it("tags the failed hook's taps too", async () => {
    const hooks = createHooks();
    hooks.failed.tapPromise("fap:notify", async () => {
      throw new Error("slack down");
    });
    const error = await rejection(hooks.failed.promise(new FapError("E_DEPLOY_FAILED", "x"), {} as never, {} as never));
    // The error the hook is given is no host context: its host is not the tap's.
    expect(formatFapError(error)).toBe("[fap:notify] failed: slack down");
  });

  it("does not tag an error twice", () => {
    const once = tagError(new Error("boom"), "a", "updating");
    expect(tagError(once, "b", "updated")).toBe(once);
    expect(formatFapError(once)).toBe("[a] updating: boom");
    const ofTask = tagError(new Error("boom"), "plug", undefined, "web1");
    expect(formatFapError(tagError(ofTask, "fap:hooks", "published"))).toBe("[plug] published: web1: boom");
  });

  it("stops the hook at the failing tap", async () => {
    const hooks = createHooks();
    const seen: string[] = [];
    hooks.updating.tap("a", () => {
      throw new Error("x");
    });
    hooks.updating.tap("b", () => void seen.push("b"));
    await rejection(hooks.updating.promise(ctx));
    expect(seen).toEqual([]);
  });
});

describe("HOST_HOOK_NAMES", () => {
  it("is every hook but the run-wide ones, and the config's hooks plugin taps each", () => {
    const hooks = createHooks();
    const runWide = ["building", "built", "succeeded", "failed", "completed"];
    expect([...HOST_HOOK_NAMES].sort()).toEqual(Object.keys(hooks).filter((name) => !runWide.includes(name)).sort());
    configHooksPlugin().apply({ hooks } as never);
    const tapped = Object.entries(hooks).filter(([, hook]) => hook.taps.length > 0).map(([name]) => name);
    expect(tapped.sort()).toEqual([...HOST_HOOK_NAMES].sort());
  });
});
