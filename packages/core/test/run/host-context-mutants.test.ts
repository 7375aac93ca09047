import { describe, expect, it } from "vitest";
import { createEvents } from "../../src/events.js";
import type { ExecOptions, ExecResult, Remote } from "../../src/remote.js";
import { createHostContext, type HostContextInit } from "../../src/run/host-context.js";
import { deferredOf, runStateOf } from "../../src/run/host-run-state.js";
import { UNDO_MARK } from "../../src/run/own-lines.js";
import { WRITE_THROUGH_EXIT } from "../../src/shell/no-write-through.js";
import { rejection } from "../../../../test/thrown.js";
import { hostContextInit } from "./_host-context-init.js";

// Checks the mutation run (npm run test:mutation) found untested: what ctx.run sends to the
// remote, the events it emits, and the error of a failed command, against a scripted remote.

type Answer = Partial<ExecResult> & { out?: string[]; err?: string[] };

/** A host context on a remote that records what it is sent and answers each command with `answers[i]` (default: exit 0). */
function scripted(answers: Answer[] = [], init: Partial<HostContextInit> = {}) {
  const events = createEvents();
  const seen: Array<Record<string, unknown> & { type: string }> = [];
  for (const type of ["command", "output", "command-end", "log"] as const) events.on(type, (e: object) => seen.push({ type, ...e }));
  const sent: Array<{ command: string; options: ExecOptions }> = [];
  const remote: Remote = {
    host: "web1",
    resolved: { hostname: "10.0.0.1", port: 22, user: "deploy" },
    async exec(command, options = {}) {
      sent.push({ command, options });
      const { out = [], err = [], ...result } = answers[sent.length - 1] ?? {};
      for (const line of out) options.onStdout?.(line);
      for (const line of err) options.onStderr?.(line);
      return { stdout: out.join("\n"), stderr: err.join("\n"), exitCode: 0, ...result };
    },
  };
  const ctx = createHostContext(hostContextInit(remote, events, init));
  return { ctx, sent, seen };
}

describe("ctx.run: what the remote is sent", () => {
  it("waits command_timeout seconds, an hour by default, or the caller's timeoutMs", async () => {
    const timeouts = async (config: Record<string, unknown>, timeoutMs?: number) => {
      const { ctx, sent } = scripted([], { config });
      await ctx.run("true", timeoutMs === undefined ? {} : { timeoutMs });
      return sent[0]!.options.timeoutMs;
    };
    expect(await timeouts({})).toBe(3_600_000);
    expect(await timeouts({ command_timeout: 90 })).toBe(90_000);
    expect(await timeouts({ command_timeout: 90 }, 1500)).toBe(1500);
    const { ctx } = scripted();
    const error = await rejection(ctx.run("true", { timeoutMs: 0 }));
    expect([error.code, error.host]).toEqual(["E_PLUGIN", "web1"]);
  });

  it("passes stdin, keepBytes and readOnly on, and only when given", async () => {
    const { ctx, sent } = scripted();
    await ctx.run("cat", { stdin: "data", keepBytes: 10, readOnly: true });
    await ctx.run("true", { readOnly: false });
    expect(sent.map((s) => Object.keys(s.options).sort())).toEqual([
      ["keepBytes", "onStderr", "onStdout", "readOnly", "stdin", "timeoutMs"],
      ["onStderr", "onStdout", "timeoutMs"],
    ]);
    expect(sent[0]!.options).toMatchObject({ stdin: "data", keepBytes: 10, readOnly: true });
  });

  it("refuses every command after Ctrl-C but clean-up's", async () => {
    const controller = new AbortController();
    const { ctx, sent } = scripted([], { signal: controller.signal });
    controller.abort("SIGTERM");
    expect((await rejection(ctx.run("rm -rf x"))).message).toBe("interrupted by SIGTERM");
    await ctx.run("rmdir lock", { evenIfInterrupted: true });
    expect(sent.map((s) => s.command)).toEqual(["rmdir lock"]);
  });

  it("sends a deferred command at once under --dry-run, where nothing goes out to wait for", async () => {
    const { ctx, sent } = scripted([], { dryRun: true });
    await ctx.run("touch x", { defer: true });
    expect(sent.map((s) => s.command)).toEqual(["touch x"]);
  });

  it("sends nothing deferred once the queue is dropped (a failed run's clean-up)", async () => {
    const { ctx, sent } = scripted();
    await ctx.run("touch x", { defer: true });
    deferredOf(ctx)!.drop();
    await ctx.run("rmdir lock");
    expect(sent.map((s) => s.command)).toEqual(["rmdir lock"]);
  });

  it("refuses allowFailure with defer, as it refuses stdin", async () => {
    const { ctx } = scripted();
    const error = await rejection(ctx.run("touch x", { defer: true, allowFailure: true }));
    expect([error.code, error.message, error.host]).toEqual(["E_PLUGIN", "run(command, { defer: true }) takes neither stdin nor allowFailure", "web1"]);
  });
});

describe("ctx.run: its events", () => {
  it("name the target, the phase and the plugin, the output's quietness and the exit code", async () => {
    const { ctx, seen } = scripted([{ out: ["hi"], err: ["warn"], exitCode: 3 }, { out: ["x"] }]);
    await runStateOf(ctx)!.within({ phase: "updating", actor: "fap:git" }, () => ctx.run("git fetch", { allowFailure: true, quiet: true }));
    await ctx.run("echo x");
    const where = { host: "web1", stage: "production", role: "web" };
    // How long the command took: a few milliseconds here, never negative or the clock's value.
    const took = expect.toSatisfy((ms: number) => ms >= 0 && ms < 10_000);
    expect(seen).toEqual([
      { type: "command", ...where, command: "git fetch", phase: "updating", plugin: "fap:git" },
      { type: "output", ...where, stream: "stdout", line: "hi", quiet: true, phase: "updating" },
      { type: "output", ...where, stream: "stderr", line: "warn", quiet: true, phase: "updating" },
      { type: "command-end", ...where, command: "git fetch", exitCode: 3, durationMs: took, phase: "updating", plugin: "fap:git" },
      { type: "command", ...where, command: "echo x", phase: undefined, plugin: undefined },
      { type: "output", ...where, stream: "stdout", line: "x", quiet: false, phase: undefined },
      { type: "command-end", ...where, command: "echo x", exitCode: 0, durationMs: took, phase: undefined, plugin: undefined },
    ]);
  });

  it("leave out fap's own marker lines", async () => {
    const { ctx, seen } = scripted([{ out: ["kept", `${UNDO_MARK}{"removed":1}`] }]);
    await ctx.run("unlock");
    expect(seen.filter((e) => e.type === "output").map((e) => e.line)).toEqual(["kept"]);
  });

  it("log at info unless told, redacted", async () => {
    const { ctx, seen } = scripted([], { secrets: ["hunter22"] });
    ctx.log("using hunter22");
    expect(seen).toEqual([{ type: "log", host: "web1", stage: "production", role: "web", level: "info", message: "using ***" }]);
  });

  it("redact a deferred command, also in the error of its failure", async () => {
    const { ctx, seen } = scripted([{ err: ["::fap::deferred-failed:0"], exitCode: 2 }], { secrets: ["hunter22"] });
    await ctx.run("login hunter22", { defer: true });
    const error = await rejection(ctx.run("true"));
    expect(error.message).toBe("`login ***` (deferred by fap in an earlier phase) exited with 2");
    expect(JSON.stringify([seen, error.details])).not.toContain("hunter22");
  });
});

describe("ctx.run: a failed command's error", () => {
  const failed = async (answer: Answer, command = "make") => rejection(scripted([answer]).ctx.run(command));

  it("quotes the last stderr line, cut at 500 characters", async () => {
    const long = `${"x".repeat(500)}${"y".repeat(20)}`;
    const error = await failed({ err: ["first", long], exitCode: 2 });
    expect(error.message).toBe(`\`make\` exited with 2: ${"x".repeat(500)}… (20 more characters)`);
    expect((await failed({ err: ["x".repeat(500)], exitCode: 2 })).message).toBe(`\`make\` exited with 2: ${"x".repeat(500)}`);
  });

  it("says only the exit status when stderr is empty, and names a signal", async () => {
    expect((await failed({ exitCode: 1 })).message).toBe("`make` exited with 1");
    const killed = await failed({ exitCode: null, signal: "SIGKILL" });
    expect(killed.message).toBe("`make` exited with SIGKILL");
    expect(killed.details).toStrictEqual({ command: "make", exitCode: null, stderr: "" });
  });

  it("shows a command of several lines on one line, shortened, and says how much stderr there was", async () => {
    const error = await failed({ err: ["tail"], exitCode: 1, stderrBytes: 5000 }, `cd /srv &&\n  make\n${"a".repeat(200)}`);
    expect(error.message).toBe(`\`cd /srv &&; make; ${"a".repeat(160 - 19)}…\` exited with 1: tail`);
    expect(error.details).toEqual({ command: `cd /srv &&\n  make\n${"a".repeat(200)}`, exitCode: 1, stderr: "tail", stderrBytes: 5000 });
  });

  it("is the write-through refusal when a command would write through a symlink", async () => {
    const error = await failed({ err: ["linked path 'conf': 'conf' in the release is a symlink (to /etc); fap will not write through it"], exitCode: WRITE_THROUGH_EXIT });
    expect(error.code).not.toBe("E_COMMAND_FAILED");
    expect(error.message).toContain("fap will not write through it");
  });
});

describe("createHostContext", () => {
  it("makes a host its role's only target, primary, without labels, unless told", () => {
    const { ctx } = scripted();
    expect([ctx.primary, ctx.labels, ctx.targets]).toEqual([true, {}, [{ host: "web1", stage: "production", role: "web", primary: true, labels: {} }]]);
    const other = scripted([], { primary: false, labels: { zone: "a" } }).ctx;
    expect([other.primary, other.labels, other.targets[0]]).toEqual([false, { zone: "a" }, { host: "web1", stage: "production", role: "web", primary: false, labels: { zone: "a" } }]);
  });

  it("gives a context without a registry its own ctx.once", async () => {
    const { ctx } = scripted();
    expect(await ctx.once("k", (caller) => caller.host)).toBe("web1");
    expect(await ctx.once("k", () => "again")).toBe("web1");
  });
});
