import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FapError } from "../../src/errors.js";
import { createEvents } from "../../src/events.js";
import { createHostContext } from "../../src/run/host-context.js";
import { runStateOf } from "../../src/run/host-run-state.js";
import { localRemote } from "../_local-remote.js";
import { hostContextInit } from "./_host-context-init.js";
import { rejection } from "../../../../test/thrown.js";

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "fap-ctx-"));
  mkdirSync(join(tmp, "my dir"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function context(options: { secrets?: string[]; config?: Record<string, unknown> } = {}) {
  const events = createEvents();
  const seen: string[] = [];
  events.on("command", (e) => seen.push(`command ${e.host} ${e.command}`));
  events.on("output", (e) => seen.push(`${e.stream} ${e.host} ${e.line}`));
  events.on("command-end", (e) => seen.push(`end ${e.host} ${e.exitCode}`));
  events.on("log", (e) => seen.push(`log ${e.level} ${e.message}`));
  const ctx = createHostContext(hostContextInit(localRemote("web1", { cwd: tmp }), events, { root: tmp, config: options.config ?? {}, secrets: options.secrets ?? [] }));
  return { ctx, seen };
}

describe("HostContext.run", () => {
  it("runs in a quoted cwd, streams output lines and reports the exit code", async () => {
    const { ctx, seen } = context();
    const result = await ctx.run("pwd; printf 'x\\ny'; echo oops >&2", { cwd: join(tmp, "my dir") });
    expect(result).toMatchObject({ stdout: `${join(tmp, "my dir")}\nx\ny`, stderr: "oops\n", exitCode: 0 });
    expect(seen[0]).toBe(`command web1 cd '${join(tmp, "my dir")}' && pwd; printf 'x\\ny'; echo oops >&2`);
    expect(seen.at(-1)).toBe("end web1 0");
    // stdout and stderr are separate streams: only the order within each is fixed.
    expect(seen.filter((line) => line.startsWith("stdout"))).toEqual([`stdout web1 ${join(tmp, "my dir")}`, "stdout web1 x", "stdout web1 y"]);
    expect(seen.filter((line) => line.startsWith("stderr"))).toEqual(["stderr web1 oops"]);
  });

  it("feeds stdin", async () => {
    const { ctx } = context();
    expect((await ctx.run("tr a-z A-Z", { stdin: "secret text" })).stdout).toBe("SECRET TEXT");
  });

  it("throws E_COMMAND_FAILED with the command, exit code and last stderr line", async () => {
    const { ctx } = context();
    let error: unknown;
    try {
      await ctx.run("echo first >&2; echo 'not found' >&2; exit 7");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FapError);
    const fapError = error as FapError;
    expect(fapError.code).toBe("E_COMMAND_FAILED");
    expect(fapError.message).toBe("`echo first >&2; echo 'not found' >&2; exit 7` exited with 7: not found");
    expect(fapError.host).toBe("web1");
    expect(fapError.details).toEqual({ command: "echo first >&2; echo 'not found' >&2; exit 7", exitCode: 7, stderr: "first\nnot found" });
  });

  it("returns a failed exit code with allowFailure", async () => {
    const { ctx } = context();
    expect((await ctx.run("exit 3", { allowFailure: true })).exitCode).toBe(3);
  });

  it("redacts secrets from commands, output, errors and logs", async () => {
    const { ctx, seen } = context({ secrets: ["hunter22"] });
    await expect(ctx.run("echo hunter22; echo hunter22 >&2; exit 1")).rejects.toThrow("`echo ***; echo *** >&2; exit 1` exited with 1: ***");
    ctx.log("token is hunter22", "warn");
    expect(seen.join("\n")).not.toContain("hunter22");
    expect(seen).toContain("log warn token is ***");
  });

  it("records fields for the release log", () => {
    const { ctx } = context();
    ctx.record({ revision: "abc" });
    ctx.record({ branch: "main" });
    expect(ctx.recorded).toEqual({ revision: "abc", branch: "main" });
  });

  it("kills a command after command_timeout seconds", async () => {
    const { ctx } = context({ config: { command_timeout: 0.2 } });
    const started = Date.now();
    await expect(ctx.run("sleep 5; echo never")).rejects.toMatchObject({ code: "E_COMMAND_TIMEOUT" });
    // Before the sleep's 5 s, with room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(4500);
  });
});

describe("HostContext.run with defer", () => {
  it("sends a deferred command in front of the host's next one, in one round trip", async () => {
    const { ctx, seen } = context();
    const remote = ctx.remote as ReturnType<typeof localRemote>;
    const deferred = await ctx.run(`set -e; echo first > '${tmp}/deferred.txt'`, { defer: true });
    expect(deferred).toEqual({ stdout: "", stderr: "", exitCode: 0 });
    expect(remote.commands).toEqual([]);
    const result = await ctx.run(`cat '${tmp}/deferred.txt'; false || echo 'set -e stayed in its subshell'`);
    expect(result.stdout).toBe("first\nset -e stayed in its subshell\n");
    expect(remote.commands).toHaveLength(1);
    expect(seen.filter((line) => line.startsWith("command"))).toHaveLength(1);
  });

  it("fails the command it went with, naming the deferred command and where it came from", async () => {
    const { ctx, seen } = context();
    await runStateOf(ctx)!.within({ phase: "updating", actor: "fap:x" }, () => ctx.run("echo cannot >&2; exit 4", { defer: true }));
    const error = await ctx.run(`touch '${tmp}/never'`, { allowFailure: true }).catch((e: unknown) => e as FapError);
    expect(error).toBeInstanceOf(FapError);
    expect((error as FapError).message).toBe("`echo cannot >&2; exit 4` (deferred by fap:x in updating) exited with 4: cannot");
    expect(seen.filter((line) => line.startsWith("stderr"))).toEqual(["stderr web1 cannot"]);
    expect(existsSync(join(tmp, "never"))).toBe(false);
  });

  it("refuses stdin and allowFailure, which a deferred command cannot have", async () => {
    const { ctx } = context();
    await expect(ctx.run("cat", { defer: true, stdin: "x" })).rejects.toThrow(/neither stdin nor allowFailure/);
  });
});

describe("HostContext.run with defer: mutants", () => {
  // Checks the mutation run (npm run test:mutation) found untested.
  it("quotes a failed deferred command's last stderr line and keeps all its lines", async () => {
    const { ctx } = context();
    await ctx.run("echo first >&2; echo second >&2; exit 4", { defer: true });
    const error = await rejection(ctx.run("echo next >&2"));
    expect(error.message).toBe("`echo first >&2; echo second >&2; exit 4` (deferred by fap in an earlier phase) exited with 4: second");
    expect(error.details).toEqual({ command: "echo first >&2; echo second >&2; exit 4", exitCode: 4, stderr: "first\nsecond" });
  });
});

describe("HostContext.run with defer: stderr without a last newline", () => {
  it("still names the deferred command that failed, and shows its output without fap's marker", async () => {
    const { ctx, seen } = context();
    await ctx.run("echo first >&2; printf 'no newline' >&2; exit 3", { defer: true });
    const error = await rejection(ctx.run(`touch '${tmp}/never2'`));
    expect(error.message).toBe("`echo first >&2; printf 'no newline' >&2; exit 3` (deferred by fap in an earlier phase) exited with 3: no newline");
    expect(error.details).toEqual({ command: "echo first >&2; printf 'no newline' >&2; exit 3", exitCode: 3, stderr: "first\nno newline" });
    expect(seen.filter((line) => line.startsWith("stderr"))).toEqual(["stderr web1 first", "stderr web1 no newline"]);
    expect(existsSync(join(tmp, "never2"))).toBe(false);
  });

  it("runs a deferred command that ends in a comment, and the command after it", async () => {
    const { ctx } = context();
    await ctx.run(`touch '${tmp}/commented' # made for the test`, { defer: true });
    expect((await ctx.run("echo next")).stdout).toBe("next\n");
    expect(existsSync(join(tmp, "commented"))).toBe(true);
  });
});
