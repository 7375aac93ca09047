import { readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runFap } from "../harness.js";
import { useTestHosts } from "../three-hosts.js";

const testHosts = useTestHosts(2, { installed: true });

/**
 * A plugin writing one JSON line per outcome hook call to OUTCOME_LOG: which hook, the flow,
 * each target's result and its resolved `outcome_label`, and what `run.config` held. FAIL_AT
 * makes `building` or a host hook throw; THROW_IN makes an outcome hook's tap throw.
 */
const CONFIG = `import { appendFileSync } from "node:fs";
import { defineConfig, task, type FapPlugin, type RunSummary } from "@fap/cli";

const record = (hook: string, summary: RunSummary, raw: Record<string, unknown>) => {
  const targets = summary.targets.map((t) => [t.host, t.result, t.note, t.config.outcome_label, t.durationMs >= 0]);
  appendFileSync(process.env.OUTCOME_LOG!, JSON.stringify({ hook, flow: summary.flow, ok: summary.ok, error: summary.error?.code, targets, raw: raw.outcome_label }) + "\\n");
  if (process.env.THROW_IN === hook) throw new Error("the chat server is down");
};

const outcome: FapPlugin = {
  name: "outcome-test",
  config: { outcome_label: { type: "string", default: "%(app_name)s-%(stage)s-%(host)s", description: "a resolved value" } },
  apply({ hooks }) {
    hooks.building.tapPromise("outcome-test", async () => {
      if (process.env.FAIL_AT === "building") throw new Error("the build failed");
    });
    hooks.published.tapPromise("outcome-test", async (ctx) => {
      if (process.env.FAIL_AT === "published") throw new Error("health check failed");
    });
    hooks.succeeded.tapPromise("outcome-test", async (summary, run) => record("succeeded", summary, run.config));
    hooks.failed.tapPromise("outcome-test", async (_error, run, summary) => record("failed", summary, run.config));
    hooks.completed.tapPromise("outcome-test", async (summary, run) => record("completed", summary, run.config));
  },
};

export default defineConfig({
  app_name: "outcome",
  path: "/srv/www/%(app_name)s",
  plugins: [outcome],
  tasks: { hello: task({ description: "say hello", run: (ctx) => ctx.run("echo hello") }) },
  stage_role_configs: { production: { web: { hosts: ["host1", "host2"] } } },
});
`;

async function fap(args: string[], env: Record<string, string> = {}) {
  const log = path.join(os.tmpdir(), `fap-outcome-${process.pid}-${Date.now()}.jsonl`);
  try {
    const run = await runFap(testHosts.hosts, await testHosts.project({ "deploy.config.ts": CONFIG }), args, { ...env, OUTCOME_LOG: log });
    let lines: Array<Record<string, unknown>> = [];
    try {
      lines = readFileSync(log, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    } catch {
      // no hook was called
    }
    return { run, calls: lines };
  } finally {
    rmSync(log, { force: true });
  }
}

describe("outcome hooks", () => {
  it("a build that fails: failed then completed, once, every target not started with its resolved config", async () => {
    const { run, calls } = await fap(["run", "deploy", "-s", "production"], { FAIL_AT: "building" });
    expect(run.code).toBe(1);
    expect(calls.map((c) => c.hook)).toEqual(["failed", "completed"]);
    for (const call of calls) {
      expect(call).toMatchObject({ flow: "deploy", ok: false, error: "E_PLUGIN" });
      expect(call.raw).toBeUndefined(); // run.config stays the config as loaded, for taps written before the summary
      expect(call.targets).toEqual([
        ["host1", "not started", "not started", "outcome-production-host1", true],
        ["host2", "not started", "not started", "outcome-production-host2", true],
      ]);
    }
  });

  const throwingTaps: Array<{ title: string; env: Record<string, string>; code: number; error: RegExp | undefined; warning: string; hooks: string[]; result: string[] }> = [
    {
      title: "a tap that throws in succeeded or completed is a warning: the deploy still exits 0",
      env: { THROW_IN: "succeeded" },
      code: 0,
      error: undefined,
      warning: "a succeeded hook threw: [outcome-test] succeeded: the chat server is down (the run's result is unchanged)",
      hooks: ["succeeded", "completed"],
      result: ["switched", "ok"],
    },
    {
      title: "a deploy failing in published: failed gets the error, every host switched back; a throwing failed tap keeps the error",
      env: { FAIL_AT: "published", THROW_IN: "failed" },
      code: 1,
      error: /^error: deploy failed on 2 hosts: host1, host2 \(published\)/,
      warning: "a failed hook threw too: [outcome-test] failed: the chat server is down",
      hooks: ["failed", "completed"],
      result: ["switched back", "failed in published; switched back"],
    },
  ];
  // The same test for each case, named by its title (it.each would shorten a long title).
  for (const { title, env, code, error, warning, hooks, result } of throwingTaps) {
    it(title, async () => {
      const { run, calls } = await fap(["run", "deploy", "-s", "production"], env);
      expect(run.code, run.stderr).toBe(code);
      // The throwing tap is only ever a warning: the error, if any, is the run's own.
      if (error) expect(run.stderr).toMatch(error);
      else expect(run.stderr).not.toMatch(/^error:/m);
      expect(run.stdout + run.stderr).toContain(warning);
      expect(calls.map((c) => c.hook)).toEqual(hooks);
      expect(calls[1]!.targets).toEqual([
        ["host1", ...result, "outcome-production-host1", true],
        ["host2", ...result, "outcome-production-host2", true],
      ]);
    });
  }

  it("rollback, restart and a task run each call succeeded and completed once", async () => {
    const second = await fap(["run", "deploy", "-s", "production"]);
    expect(second.run.code, second.run.stderr).toBe(0);
    const rollback = await fap(["run", "rollback", "-s", "production"]);
    expect(rollback.run.code, rollback.run.stderr).toBe(0);
    expect(rollback.calls.map((c) => [c.hook, c.flow])).toEqual([["succeeded", "rollback"], ["completed", "rollback"]]);
    expect((rollback.calls[1]!.targets as unknown[][]).map((t) => t[1])).toEqual(["switched", "switched"]);
    for (const args of [["run", "restart", "-s", "production"], ["run", "hello", "-s", "production"]]) {
      const { run, calls } = await fap(args);
      expect(run.code, run.stderr).toBe(0);
      expect(calls.map((c) => c.hook)).toEqual(["succeeded", "completed"]);
      expect((calls[1]!.targets as unknown[][]).map((t) => [t[0], t[1]])).toEqual([["host1", "ok"], ["host2", "ok"]]);
    }
  });
});
