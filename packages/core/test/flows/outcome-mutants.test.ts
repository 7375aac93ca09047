import os from "node:os";
import { describe, expect, it } from "vitest";
import { FapError } from "../../src/errors.js";
import type { FapEventMap } from "../../src/events.js";
import { createFap } from "../../src/fap.js";
import { deploy } from "../../src/flows/deploy.js";
import { restart } from "../../src/flows/restart.js";
import { rollback } from "../../src/flows/rollback.js";
import { runTask } from "../../src/flows/task.js";
import type { FapPlugin } from "../../src/plugin.js";
import type { Connector } from "../../src/remote.js";
import type { RunSummary } from "../../src/run/run-summary.js";
import { Redactor } from "../../src/secrets/redact.js";
import { recordEvents, rejection, useFixture } from "../_fixture.js";
import { failAt } from "../_test-plugins.js";

// Checks the mutation run (npm run test:mutation) found untested in flows/_outcome.ts and
// flows/_target-summary.ts: the summary the outcome hooks get (each target's state, result,
// note, durations and config; the run's error, redacted), the `summary` event, and what a
// throwing outcome hook becomes. Only plugins' tests, which run core's built dist, read it before.

const fx = useFixture();

/** A plugin keeping the summary `completed` gets (and, when `failing`, throwing from `name`). */
function keeper(kept: RunSummary[], failing?: "succeeded" | "failed" | "completed"): FapPlugin {
  return {
    name: "test:keep",
    apply({ hooks }) {
      hooks.completed.tapPromise("test:keep", async (summary) => {
        kept.push(summary);
        if (failing === "completed") throw new Error("completed broke");
      });
      if (failing === "succeeded") hooks.succeeded.tapPromise("test:keep", async () => Promise.reject(new Error("succeeded broke")));
      if (failing === "failed") hooks.failed.tapPromise("test:keep", async () => Promise.reject(new Error("failed broke")));
    },
  };
}

/** The fixture's connector, refusing to connect to `host`. */
function refusing(host: string): Connector {
  return {
    resolve: (address) => fx.connector.resolve(address),
    close: () => fx.connector.close(),
    connect: (address) =>
      address.host === host ? Promise.reject(new FapError("E_SSH_CONNECT", `${host}: connection refused s3cr3t-value`, { host })) : fx.connector.connect(address),
  };
}

const DEPLOY_PHASES = ["starting", "started", "updating", "updated", "publishing", "published", "checking", "finishing", "finished"];

describe("the summary of a run", () => {
  it("of a deploy that succeeds: every target switched, with its release, durations and config", async () => {
    const kept: RunSummary[] = [];
    const before = Date.now();
    const result = await deploy(fx.options(createFap([keeper(kept)]), fx.config({ note: "%(host)s!" }), { deployId: "run-1" }));
    const [summary] = kept;
    expect(summary).toMatchObject({ flow: "deploy", task: undefined, deployId: "run-1", dryRun: false, ok: true, error: undefined });
    expect(summary!.deployer).toBe(os.userInfo().username);
    expect(summary!.machine).toBe(os.hostname());
    expect(Date.parse(summary!.startedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(summary!.durationMs).toBeGreaterThanOrEqual(0);
    expect(summary!.durationMs).toBeLessThan(Date.now() - before + 1000);
    const id = result.hosts[0]!.release;
    expect(summary!.targets.map((t) => [t.host, t.stage, t.role, t.release, t.previousRelease, t.ok, t.state, t.result, t.note, t.phase, t.error, t.unreachable, t.lockLeft])).toEqual([
      ["a", "production", "web", id, undefined, true, "done", "switched", "ok", undefined, undefined, false, false],
      ["b", "production", "web", id, undefined, true, "done", "switched", "ok", undefined, undefined, false, false],
    ]);
    const a = summary!.targets[0]!;
    expect(Object.keys(a.durations).sort()).toEqual([...DEPLOY_PHASES].sort());
    expect(a.durationMs).toBe(Object.values(a.durations).reduce((x, y) => x + y, 0));
    expect(a.config.note).toBe("a!");
  });

  it("of a deploy that fails: each target's result in words, the error redacted", async () => {
    const kept: RunSummary[] = [];
    const fap = createFap([keeper(kept), failAt("published", "b", "token s3cr3t-value refused")], { redactor: new Redactor(["s3cr3t-value"]) });
    const events = recordEvents(fap);
    await rejection(deploy(fx.options(fap, fx.config(), { dryRun: false })));
    const [summary] = kept;
    expect(summary!.ok).toBe(false);
    expect(summary!.error).toEqual({
      code: "E_PLUGIN",
      message: "deploy failed on 1 host: b (published): [test:fail] published: token *** refused",
      hint: "every host was switched back to the release it had before",
    });
    expect(summary!.targets.map((t) => [t.host, t.ok, t.state, t.result, t.note, t.phase, t.error])).toEqual([
      ["a", false, "switched-back", "switched back", "switched back", undefined, undefined],
      ["b", false, "switched-back", "switched back", "failed in published; switched back", "published", "token *** refused"],
    ]);
    expect(events.filter((e) => e.type === "host-result")).toHaveLength(2);
  });

  it("of a rollback: the release gone back to and the one left", async () => {
    const first = (await deploy(fx.options(createFap(), fx.config()))).hosts[0]!.release!;
    const second = (await deploy(fx.options(createFap(), fx.config()))).hosts[0]!.release!;
    const kept: RunSummary[] = [];
    await rollback(fx.options(createFap([keeper(kept)]), fx.config()));
    expect(kept[0]!.targets.map((t) => [t.host, t.release, t.previousRelease, t.result])).toEqual([
      ["a", first, second, "switched"],
      ["b", first, second, "switched"],
    ]);
    expect(kept[0]!.flow).toBe("rollback");
  });

  it("of a restart and a task: ok or failed, not switched; a task's name", async () => {
    const kept: RunSummary[] = [];
    await deploy(fx.options(createFap(), fx.config()));
    await rejection(restart(fx.options(createFap([keeper(kept), failAt("restarting", "b")]), fx.config())));
    expect(kept[0]!.flow).toBe("restart");
    expect(kept[0]!.targets.map((t) => [t.host, t.ok, t.state, t.result, t.note])).toEqual([
      ["a", true, "done", "ok", "ok"],
      ["b", false, "failed", "failed", "failed in restarting"],
    ]);
    await runTask(fx.options(createFap([keeper(kept)], { tasks: { hello: { description: "says hello", run: "true" } } }), fx.config()), "hello");
    expect(kept[1]).toMatchObject({ flow: "task", task: "hello", ok: true });
    expect(kept[1]!.targets.map((t) => t.result)).toEqual(["ok", "ok"]);
  });

  it("of a run stopped before any phase: targets not started, the host that stopped it named, its config as planned", async () => {
    const kept: RunSummary[] = [];
    const fap = createFap([keeper(kept)], { redactor: new Redactor(["s3cr3t-value"]) });
    const error = await rejection(deploy(fx.options(fap, fx.config({ user: "deployer", note: "%(host)s!" }), { connector: refusing("b"), deployId: "run-2" })));
    expect(error.code).toBe("E_SSH_CONNECT");
    const [summary] = kept;
    expect(summary!.deployId).toBe("run-2");
    expect(summary!.targets.map((t) => [t.host, t.ok, t.state, t.result, t.note, t.error, t.unreachable, t.lockLeft, t.release])).toEqual([
      ["a", false, "not-started", "not started", "not started", undefined, false, false, undefined],
      ["b", false, "not-started", "not started", "not started: b: connection refused ***", "b: connection refused ***", true, false, undefined],
    ]);
    expect(summary!.targets[1]!.config).toMatchObject({ note: "b!", user: "deployer", host: "b", path: `${fx.tmp}/b/app` });
    expect(summary!.targets[1]!.durationMs).toBe(0);
  });

  it("of a run stopped before any phase, without a user configured: the planned config's user is empty (~/.ssh/config is not read)", async () => {
    const kept: RunSummary[] = [];
    await rejection(deploy(fx.options(createFap([keeper(kept)]), fx.config({ note: "%(user)s@%(host)s" }), { connector: refusing("b") })));
    expect(kept[0]!.targets.map((t) => [t.host, t.config.user, t.config.note])).toEqual([
      ["a", "", "@a"],
      ["b", "", "@b"],
    ]);
  });

  it("of a run whose config cannot be interpolated: the values as written", async () => {
    const kept: RunSummary[] = [];
    const error = await rejection(deploy(fx.options(createFap([keeper(kept)]), fx.config({ note: "%(nope)s" }))));
    expect(error.code).toBe("E_INTERPOLATION");
    expect(kept[0]!.targets.map((t) => [t.host, t.state, t.config.note, t.config.path])).toEqual([
      ["a", "not-started", "%(nope)s", `${fx.tmp}/%(host)s/app`],
      ["b", "not-started", "%(nope)s", `${fx.tmp}/%(host)s/app`],
    ]);
  });

  it("is emitted once as the `summary` event, without the fields every line has and without config", async () => {
    const fap = createFap();
    const seen: Array<FapEventMap["summary"][0]> = [];
    fap.events.on("summary", (event) => seen.push(event));
    await deploy(fx.options(fap, fx.config()));
    expect(seen).toHaveLength(1);
    expect(Object.keys(seen[0]!).sort()).toEqual(["deployer", "dryRun", "durationMs", "error", "machine", "ok", "startedAt", "targets"]);
    expect(seen[0]!.targets.map((t) => "config" in t)).toEqual([false, false]);
    expect(seen[0]!.targets.map((t) => t.host)).toEqual(["a", "b"]);
  });
});

describe("the summary's details", () => {
  it("times each target's phases from its host-phase events, and leaves no listener behind", async () => {
    const slow: FapPlugin = {
      name: "test:slow",
      apply({ hooks }) {
        hooks.updating.tapPromise("test:slow", () => new Promise((resolve) => setTimeout(resolve, 60)));
      },
    };
    const kept: RunSummary[] = [];
    const fap = createFap([keeper(kept), slow]);
    const before = ["host-result", "host-phase"].map((name) => fap.events.listenerCount(name));
    await deploy(fx.options(fap, fx.config()));
    const updating = kept[0]!.targets.map((t) => t.durations.updating!);
    for (const ms of updating) expect(ms >= 55 && ms < 10_000, String(ms)).toBe(true);
    expect(["host-result", "host-phase"].map((name) => fap.events.listenerCount(name))).toEqual(before);
  });

  it("tells the outcome hooks whether the run was a dry run", async () => {
    const seen: boolean[] = [];
    const tap: FapPlugin = {
      name: "test:dry",
      apply({ hooks }) {
        hooks.completed.tapPromise("test:dry", async (summary, run) => void seen.push(run.dryRun, summary.dryRun));
      },
    };
    await deploy(fx.options(createFap([tap]), fx.config()));
    await deploy(fx.options(createFap([tap]), fx.config(), { dryRun: true }));
    expect(seen).toEqual([false, false, true, true]);
  });

  it("has an empty deploy id before any host was opened without one given, and no targets before a plan", async () => {
    const kept: RunSummary[] = [];
    const builtFor: string[] = [];
    const builder: FapPlugin = {
      name: "test:build",
      apply({ hooks }) {
        hooks.building.tapPromise("test:build", async (run) => {
          builtFor.push(run.deployId);
          throw new Error("no build");
        });
      },
    };
    await rejection(deploy(fx.options(createFap([keeper(kept), builder]), fx.config())));
    expect(kept[0]!.deployId).toBe("");
    // The build, before any host is opened, gets the deploy id given (or none).
    await rejection(deploy(fx.options(createFap([builder]), fx.config(), { deployId: "run-3" })));
    expect(builtFor).toEqual(["", "run-3"]);
    expect(kept[0]!.targets.map((t) => t.state)).toEqual(["not-started", "not-started"]);
    const error = await rejection(rollback({ ...fx.options(createFap([keeper(kept)]), fx.config()), selection: { stage: "nope" } }));
    expect(error.code).toBe("E_NO_STAGE");
    expect(kept[1]!.targets).toEqual([]);
  });

  it("keeps the results of two roles on one host apart", async () => {
    const kept: RunSummary[] = [];
    const config = {
      stage_role_configs: { production: { web: { hosts: ["a"], path: `${fx.tmp}/a/web` }, worker: { hosts: ["a"], path: `${fx.tmp}/a/worker`, hooks: { updating: "exit 3" } } } },
    };
    await rejection(deploy(fx.options(createFap([keeper(kept)]), config)));
    expect(kept[0]!.targets.map((t) => [t.role, t.phase])).toEqual([
      ["web", undefined],
      ["worker", "updating"],
    ]);
  });

  it("of a task stopped before any phase: the planned config of the task's own hosts", async () => {
    const kept: RunSummary[] = [];
    const config = {
      stage_role_configs: {
        production: { web: { hosts: ["a"], path: `${fx.tmp}/a/app`, user: "webuser" }, worker: { hosts: ["b"], path: `${fx.tmp}/b/app`, user: "workuser" } },
      },
    };
    const fap = createFap([keeper(kept)], { tasks: { work: { description: "w", roles: ["worker"], run: "true" } } });
    await rejection(runTask(fx.options(fap, config, { connector: refusing("b") }), "work"));
    expect(kept[0]!.targets.map((t) => [t.host, t.config.user])).toEqual([["b", "workuser"]]);
  });

  it("keeps the results of one role of two stages on one host apart", async () => {
    const kept: RunSummary[] = [];
    const config = {
      stage_role_configs: {
        production: { web: { hosts: ["a"], path: `${fx.tmp}/a/production` } },
        staging: { web: { hosts: ["a"], path: `${fx.tmp}/a/staging`, hooks: { updating: "exit 3" } } },
      },
    };
    await rejection(deploy(fx.options(createFap([keeper(kept)]), config, { selection: { role: "web" } })));
    expect(kept[0]!.targets.map((t) => [t.stage, t.phase])).toEqual([
      ["production", undefined],
      ["staging", "updating"],
    ]);
  });
});

describe("an outcome hook that throws", () => {
  const warnings = (events: ReturnType<typeof recordEvents>) => events.flatMap((e) => (e.type === "log" && e.event.level === "warn" ? [e.event.message] : []));

  it("is a warning after a run that succeeded; the run still succeeds", async () => {
    const fap = createFap([keeper([], "succeeded")]);
    const events = recordEvents(fap);
    await deploy(fx.options(fap, fx.config()));
    expect(warnings(events)).toEqual([expect.stringMatching(/^a succeeded hook threw: .*succeeded broke \(the run's result is unchanged\)$/)]);
  });

  it("is a warning after a failed run (`too`); the run's own error stays", async () => {
    const fap = createFap([keeper([], "failed"), failAt("updating", "a")]);
    const events = recordEvents(fap);
    const error = await rejection(deploy(fx.options(fap, fx.config())));
    expect(error.message).toMatch(/boom$/);
    expect(warnings(events)).toEqual([expect.stringMatching(/^a failed hook threw too: .*failed broke \(the run's result is unchanged\)$/)]);
  });

  it("from completed after a failed run is a warning too", async () => {
    const fap = createFap([keeper([], "completed"), failAt("updating", "a")]);
    const events = recordEvents(fap);
    await rejection(deploy(fx.options(fap, fx.config())));
    expect(warnings(events)).toEqual([expect.stringMatching(/^a completed hook threw: .*completed broke/)]);
  });

  it("from completed is a warning too", async () => {
    const fap = createFap([keeper([], "completed")]);
    const events = recordEvents(fap);
    await deploy(fx.options(fap, fx.config()));
    expect(warnings(events)).toEqual([expect.stringMatching(/^a completed hook threw: .*completed broke/)]);
  });
});
