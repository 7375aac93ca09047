import { describe, expect, it } from "vitest";
import type { HostContext } from "../../src/context.js";
import { FapError } from "../../src/errors.js";
import { createEvents } from "../../src/events.js";
import { createHooks } from "../../src/hooks/hooks.js";
import { asFapError, runPhase } from "../../src/run/run-phase.js";

const contexts = (...hosts: string[]) => hosts.map((host) => ({ host, flow: "deploy" }) as HostContext);
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("runPhase", () => {
  it("runs a phase on every host at once and returns when all are done", async () => {
    const hooks = createHooks();
    const log: string[] = [];
    hooks.updating.tapPromise("t", async (ctx) => {
      log.push(`start ${ctx.host}`);
      await tick(ctx.host === "a" ? 20 : 1);
      log.push(`end ${ctx.host}`);
    });
    expect(await runPhase(hooks, createEvents(), "updating", contexts("a", "b"), 10)).toEqual([]);
    expect(log).toEqual(["start a", "start b", "end b", "end a"]);
  });

  it("runs at most `parallel` hosts at once", async () => {
    const hooks = createHooks();
    let running = 0;
    let most = 0;
    hooks.updating.tapPromise("t", async () => {
      most = Math.max(most, ++running);
      await tick(2);
      running--;
    });
    await runPhase(hooks, createEvents(), "updating", contexts("a", "b", "c", "d", "e"), 2);
    expect(most).toBe(2);
  });

  it("reports each failed host and starts no further host once one failed", async () => {
    const hooks = createHooks();
    const started: string[] = [];
    hooks.updating.tapPromise("t", async (ctx) => {
      started.push(ctx.host);
      if (ctx.host === "a") throw new Error("boom");
    });
    const failures = await runPhase(hooks, createEvents(), "updating", contexts("a", "b", "c"), 1);
    expect(started).toEqual(["a"]);
    expect(failures.map((f) => [f.host, f.phase, f.error.code, f.error.message])).toEqual([["a", "updating", "E_PLUGIN", "boom"]]);
  });

  it("emits start and end, with the number of hosts and the time taken", async () => {
    const events = createEvents();
    const seen: unknown[] = [];
    events.on("phase", (event) => seen.push(event));
    await runPhase(createHooks(), events, "published", contexts("a", "b"), 10);
    expect(seen).toEqual([
      { flow: "deploy", phase: "published", state: "start", hosts: 2 },
      { flow: "deploy", phase: "published", state: "end", hosts: 2, durationMs: expect.any(Number) },
    ]);
  });
});

describe("asFapError", () => {
  it("keeps a FapError and wraps anything else, naming the host", () => {
    const fapError = new FapError("E_CONFIG", "x");
    expect(asFapError(fapError, "a")).toBe(fapError);
    const wrapped = asFapError(new Error("socket closed"), "a");
    expect([wrapped.code, wrapped.message, wrapped.host]).toEqual(["E_PLUGIN", "socket closed", "a"]);
    expect(asFapError("text").message).toBe("text");
  });
});
