import { describe, expect, it } from "vitest";
import type { HostContext } from "../../src/context.js";
import { FapError } from "../../src/errors.js";
import { createEvents } from "../../src/events.js";
import { createHostContext } from "../../src/run/host-context.js";
import { joinHostOfRun } from "../../src/run/host-of-run.js";
import { asFapError, failureError, failureOf, interruptedError, runStep, type HostFailure } from "../../src/run/run-phase.js";
import type { Remote } from "../../src/remote.js";
import { hostContextInit } from "./_host-context-init.js";

// Checks the mutation run (npm run test:mutation) found untested: the error a failed run ends
// with, the error of Ctrl-C, and how a barrier step starts hosts, stops and reports them.

const target = (host: string, stage = "production", role = "web") => ({ host, stage, role, flow: "deploy" }) as HostContext;
const failure = (host: string, error: FapError, phase = "updating", where: Partial<HostFailure> = { stage: "production", role: "web" }): HostFailure => ({
  host,
  phase,
  error,
  ...where,
});
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** How long a step took: a few milliseconds here, never negative or the clock's value. */
const took = expect.toSatisfy((ms: number) => ms >= 0 && ms < 10_000);

describe("failureError", () => {
  it("names the one host, its phase and its error, with its code, hint and fields", () => {
    const cause = new FapError("E_PLUGIN", "boom", { plugin: "fap:git", hook: "updating", hint: "check the repo", host: "a" });
    const error = failureError("deploy", [failure("a", cause)], "nothing was published");
    expect([error.code, error.message, error.hint, error.cause]).toEqual([
      "E_PLUGIN",
      "deploy failed on 1 host: a (updating): [fap:git] updating: boom",
      "check the repo; nothing was published",
      cause,
    ]);
    expect(error.details).toEqual({
      failures: [{ host: "a", stage: "production", role: "web", phase: "updating", code: "E_PLUGIN", message: "boom", plugin: "fap:git", hook: "updating" }],
    });
  });

  it("lists hosts that failed the same way together, and keeps the code only when all share it", () => {
    const same = failureError("restart", [failure("a", new FapError("E_COMMAND_FAILED", "x")), failure("b", new FapError("E_COMMAND_FAILED", "x"))], "n");
    expect([same.code, same.message]).toEqual(["E_COMMAND_FAILED", "restart failed on 2 hosts: a, b (updating): x"]);
    const mixed = failureError(
      "deploy",
      [failure("a", new FapError("E_COMMAND_FAILED", "x")), failure("b", new FapError("E_PLUGIN", "y")), failure("c", new FapError("E_COMMAND_FAILED", "x"), "updated")],
      "n",
    );
    expect([mixed.code, mixed.message]).toEqual(["E_DEPLOY_FAILED", "deploy failed on 3 hosts: a (updating): x; b (updating): y; c (updated): x"]);
  });

  it("gives the note once as the hint, none when there is nothing to say, and no stage for a failure without one", () => {
    const error = new FapError("E_CLEANUP_FAILED", "gone", { hint: "run fap unlock" });
    expect(failureError("deploy", [failure("a", error, "clean-up", {})], "run fap unlock").hint).toBe("run fap unlock");
    const plain = failureError("deploy", [failure("a", new FapError("E_CLEANUP_FAILED", "gone"), "clean-up", {})], "");
    expect(plain.hint).toBeUndefined();
    expect(plain.details).toStrictEqual({ failures: [{ host: "a", phase: "clean-up", code: "E_CLEANUP_FAILED", message: "gone" }] });
  });

  it("lists hosts together only when both the step and the message are the same", () => {
    // Steps "build" and "build-assets" of a task: their names and messages must not run together.
    const error = failureError("task ship", [failure("a", new FapError("E_PLUGIN", "-assets: gone"), "build"), failure("b", new FapError("E_PLUGIN", ": gone"), "build-assets")], "n");
    expect(error.message).toBe("task ship failed on 2 hosts: a (build): -assets: gone; b (build-assets): : gone");
  });
});

describe("failureError with no failure", () => {
  it("still gives the run's code and note, naming no host", () => {
    const error = failureError("deploy", [], "the new release is live");
    expect([error.code, error.hint, error.cause, error.details]).toEqual(["E_DEPLOY_FAILED", "the new release is live", undefined, { failures: [] }]);
  });
});

describe("asFapError", () => {
  it("keeps what it wraps as the cause, for --debug", () => {
    const error = new Error("socket closed");
    expect(asFapError(error, "a").cause).toBe(error);
  });
});

describe("interruptedError", () => {
  it("names the signal and exits as a shell does after it", () => {
    const of = (reason?: unknown) => {
      const controller = new AbortController();
      controller.abort(reason);
      const error = interruptedError(controller.signal);
      return [error.code, error.message, error.details.exitCode, error.hint];
    };
    expect(of("SIGINT")).toEqual(["E_INTERRUPTED", "interrupted by SIGINT", 130, undefined]);
    expect(of("SIGTERM")).toEqual(["E_INTERRUPTED", "interrupted by SIGTERM", 143, undefined]);
    // An abort without a signal's name (AbortController's own reason) reads as Ctrl-C.
    expect(of()).toEqual(["E_INTERRUPTED", "interrupted by SIGINT", 130, undefined]);
  });
});

describe("failureOf", () => {
  it("finds a target's own failure; one without stage and role is the host's", () => {
    const web = target("a");
    const worker = target("a", "production", "worker");
    const failures = [failure("a", new FapError("E_PLUGIN", "web"), "updating")];
    expect(failureOf(failures, web)?.error.message).toBe("web");
    expect(failureOf(failures, worker)).toBeUndefined();
    expect(failureOf(failures, target("a", "staging"))).toBeUndefined();
    expect(failureOf(failures, target("b"))).toBeUndefined();
    expect(failureOf([failure("a", new FapError("E_PLUGIN", "host"), "clean-up", {})], worker)?.error.message).toBe("host");
  });
});

describe("runStep", () => {
  const record = () => {
    const events = createEvents();
    const seen: unknown[] = [];
    events.on("host-phase", (e) => seen.push(e));
    events.on("phase", (e) => seen.push(e));
    return { events, seen };
  };

  it("tells when each host starts and ends the step, and whether it passed", async () => {
    const { events, seen } = record();
    await runStep(events, "check", [target("a"), target("b")], 1, undefined, async (ctx) => {
      if (ctx.host === "b") throw new Error("no");
    });
    const host = (h: string, state: string, more = {}) => ({ flow: "deploy", phase: "check", host: h, stage: "production", role: "web", state, ...more });
    expect(seen).toEqual([
      { flow: "deploy", phase: "check", state: "start", hosts: 2 },
      host("a", "start"),
      host("a", "end", { ok: true, durationMs: took }),
      host("b", "start"),
      host("b", "end", { ok: false, durationMs: took }),
      { flow: "deploy", phase: "check", state: "end", hosts: 2, durationMs: took },
    ]);
  });

  it("names a step over no host a deploy's, and returns no failure", async () => {
    const { events, seen } = record();
    expect(await runStep(events, "check", [], 1, undefined, async () => undefined)).toEqual([]);
    expect(seen).toEqual([
      { flow: "deploy", phase: "check", state: "start", hosts: 0 },
      { flow: "deploy", phase: "check", state: "end", hosts: 0, durationMs: took },
    ]);
  });

  it("starts hosts until more failed than tolerated (--max-failed)", async () => {
    const started: string[] = [];
    const work = async (ctx: HostContext) => {
      started.push(ctx.host);
      if (ctx.host !== "d") throw new Error(`${ctx.host} failed`);
    };
    const hosts = () => ["a", "b", "c", "d"].map((h) => target(h));
    const failures = await runStep(createEvents(), "updating", hosts(), 1, undefined, work, 1);
    expect(started).toEqual(["a", "b"]);
    expect(failures.map((f) => f.host)).toEqual(["a", "b"]);
    started.length = 0;
    await runStep(createEvents(), "updating", hosts(), 1, undefined, work, 2);
    expect(started).toEqual(["a", "b", "c"]);
  });

  it("after Ctrl-C starts no host and fails each as interrupted", async () => {
    const { events, seen } = record();
    const started: string[] = [];
    const failures = await runStep(events, "updating", [target("a"), target("b")], 1, AbortSignal.abort("SIGTERM"), async (ctx) => void started.push(ctx.host), 5);
    expect(started).toEqual([]);
    expect(failures.map((f) => [f.host, f.stage, f.role, f.phase, f.error.message])).toEqual([
      ["a", "production", "web", "updating", "interrupted by SIGTERM"],
      ["b", "production", "web", "updating", "interrupted by SIGTERM"],
    ]);
    expect(seen.filter((e) => (e as { host?: string }).host !== undefined)).toEqual([]);
  });

  it("after Ctrl-C reports only the first target of a host of the run: the others wait behind it", async () => {
    const [web, worker] = [target("a"), target("a", "production", "worker")];
    joinHostOfRun([web!, worker!]);
    const failures = await runStep(createEvents(), "updating", [web!, worker!], 1, AbortSignal.abort("SIGINT"), async () => undefined, 5);
    expect(failures.map((f) => [f.host, f.role])).toEqual([["a", "web"]]);
  });

  it("returns the failures in config order, whichever failed first", async () => {
    const failures = await runStep(createEvents(), "updating", [target("a"), target("b"), target("c")], 10, undefined, async (ctx) => {
      await tick(ctx.host === "a" ? 30 : 1);
      if (ctx.host !== "b") throw new Error(`${ctx.host} failed`);
    }, 5);
    expect(failures.map((f) => [f.host, f.error.message])).toEqual([
      ["a", "a failed"],
      ["c", "c failed"],
    ]);
  });

  it("runs the targets of one host of the run one after the other, stopping at the first that fails", async () => {
    const [web, worker, cron] = [target("a"), target("a", "production", "worker"), target("a", "production", "cron")];
    joinHostOfRun([web!, worker!, cron!]);
    const log: string[] = [];
    const failures = await runStep(createEvents(), "updating", [web!, worker!, cron!, target("b")], 10, undefined, async (ctx) => {
      log.push(`start ${ctx.host} ${ctx.role}`);
      await tick(5);
      log.push(`end ${ctx.host} ${ctx.role}`);
      if (ctx.role === "worker") throw new Error("worker failed");
    });
    expect(log.filter((l) => l.includes(" a "))).toEqual(["start a web", "end a web", "start a worker", "end a worker"]);
    expect(log).toContain("end b web");
    expect(failures.map((f) => [f.host, f.role])).toEqual([["a", "worker"]]);
  });
});

describe("runStep: commands deferred in the step", () => {
  function host(flow: "deploy" | "restart") {
    const events = createEvents();
    const sent: string[] = [];
    const plugins: Array<string | undefined> = [];
    events.on("command", (e) => plugins.push(e.plugin));
    const remote: Remote = {
      host: "a",
      resolved: { hostname: "a", port: 22, user: "deploy" },
      async exec(command) {
        sent.push(command);
        return { stdout: "", stderr: "", exitCode: 0 };
      },
    };
    const ctx = createHostContext(hostContextInit(remote, events, { flow }));
    return { ctx, sent, plugins, events };
  }

  it("go out by the end of the step, sent by fap:core, except in a deploy's starting, started and updating", async () => {
    for (const phase of ["starting", "started", "updating"]) {
      const { ctx, sent, events } = host("deploy");
      await runStep(events, phase, [ctx], 1, undefined, () => ctx.run("touch x", { defer: true }));
      expect(sent, phase).toEqual([]);
    }
    for (const [flow, phase] of [["deploy", "updated"], ["restart", "updating"]] as const) {
      const { ctx, sent, plugins, events } = host(flow);
      await runStep(events, phase, [ctx], 1, undefined, () => ctx.run("touch x", { defer: true }));
      expect(sent, `${flow} ${phase}`).toHaveLength(1);
      expect(sent[0]).toMatch(/^\(touch x\n\) \|\| .*\n:$/s);
      expect(plugins).toEqual(["fap:core"]);
    }
  });

  it("send nothing when nothing waits", async () => {
    const { ctx, sent, events } = host("restart");
    await runStep(events, "updated", [ctx], 1, undefined, () => ctx.run("true"));
    expect(sent).toEqual(["true"]);
  });
});
