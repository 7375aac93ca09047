import { describe, expect, it } from "vitest";
import type { HostContext } from "../src/context.js";
import { FapError } from "../src/errors.js";
import { createHooks } from "../src/hooks.js";
import { tagError } from "../src/_tag-tap-errors.js";

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
      "publishing", "published",
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
  it("tapPromise: re-thrown as [plugin] hook: message", async () => {
    const hooks = createHooks();
    const original = new Error("fatal: couldn't find remote ref main");
    hooks.updating.tapPromise("fap:git", async () => {
      throw original;
    });
    const error = await rejection(hooks.updating.promise(ctx));
    expect(error.message).toBe("[fap:git] updating: fatal: couldn't find remote ref main");
    expect(error.code).toBe("E_PLUGIN");
    expect(error.cause).toBe(original);
    expect(error.details).toMatchObject({ plugin: "fap:git", hook: "updating" });
  });

  it("tapAsync: an error passed to the callback is tagged", async () => {
    const hooks = createHooks();
    hooks.published.tapAsync("fap:curl", (_ctx, done) => setTimeout(() => done(new Error("HTTP 503")), 1));
    expect((await rejection(hooks.published.promise(ctx))).message).toBe("[fap:curl] published: HTTP 503");
  });

  it("tapAsync: an error thrown before the callback is tagged", async () => {
    const hooks = createHooks();
    hooks.published.tapAsync("fap:curl", () => {
      throw new Error("bad url");
    });
    expect((await rejection(hooks.published.promise(ctx))).message).toBe("[fap:curl] published: bad url");
  });

  it("tap: a sync throw is tagged", async () => {
    const hooks = createHooks();
    hooks.restarting.tap("fap:supervisorctl", () => {
      throw new Error("no such process");
    });
    expect((await rejection(hooks.restarting.promise(ctx))).message).toBe("[fap:supervisorctl] restarting: no such process");
  });

  it("tags a thrown non-Error", async () => {
    const hooks = createHooks();
    hooks.starting.tap("odd", () => {
      throw "a string";
    });
    expect((await rejection(hooks.starting.promise(ctx))).message).toBe("[odd] starting: a string");
  });

  it("keeps a FapError's code, hint, host and details", async () => {
    const hooks = createHooks();
    hooks.updated.tapPromise("fap:virtualenv", async () => {
      throw new FapError("E_COMMAND_FAILED", "web1: `pip install` exited with 1", {
        host: "web1",
        hint: "check requirements.txt",
        details: { exitCode: 1 },
      });
    });
    const error = await rejection(hooks.updated.promise(ctx));
    expect(error.code).toBe("E_COMMAND_FAILED");
    expect(error.message).toBe("[fap:virtualenv] updated: web1: `pip install` exited with 1");
    expect(error.hint).toBe("check requirements.txt");
    expect(error.host).toBe("web1");
    expect(error.details).toEqual({ exitCode: 1, plugin: "fap:virtualenv", hook: "updated" });
  });

  it("tags the failed hook's taps too", async () => {
    const hooks = createHooks();
    hooks.failed.tapPromise("fap:notify", async () => {
      throw new Error("slack down");
    });
    const error = await rejection(hooks.failed.promise(new FapError("E_DEPLOY_FAILED", "x"), {} as never, {} as never));
    expect(error.message).toBe("[fap:notify] failed: slack down");
  });

  it("does not tag an error twice", () => {
    const once = tagError(new Error("boom"), "a", "updating");
    expect(tagError(once, "b", "updated")).toBe(once);
    expect(once.message).toBe("[a] updating: boom");
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
