import { describe, expect, it } from "vitest";
import type { HostContext, RunContext } from "../../src/context.js";
import { FapError } from "../../src/errors.js";
import { createHooks } from "../../src/hooks/hooks.js";
import { liveReleaseCommand, putBackOnFailure, type PutBackActions } from "../../src/hooks/put-back.js";
import { tapRuntime } from "../../src/hooks/runtime-taps.js";

// Checks the mutation run (npm run test:mutation) found untested: putBackOnFailure was tested
// only through the runtime plugins' tests, which run core's built dist.

/** A host whose `readlink current` prints `live` (or fails with `failure`); records what it logs. */
function host(name: string, release: string | undefined, live: string | Error) {
  const logs: Array<[string, string | undefined]> = [];
  const commands: Array<[string, unknown]> = [];
  const ctx = {
    host: name,
    release: { id: release },
    paths: { current: `/srv/${name} app/current` },
    log: (message: string, level?: string) => void logs.push([message, level]),
    run: async (command: string, options: unknown) => {
      commands.push([command, options]);
      if (live instanceof Error) throw live;
      return { stdout: live, stderr: "", exitCode: 0 };
    },
  } as unknown as HostContext;
  return { ctx, logs, commands };
}

function actions(calls: string[]): (ctx: HostContext) => PutBackActions {
  return (ctx) => ({
    name: "app",
    restart: async (live) => (calls.push(`restart ${ctx.host} ${live}`), `${ctx.host}: app restarted on ${live}`),
    stop: async () => (calls.push(`stop ${ctx.host}`), `${ctx.host}: app stopped`),
  });
}

async function fail(hooks: ReturnType<typeof createHooks>, hosts: HostContext[]): Promise<void> {
  await hooks.failed.promise(new FapError("E_DEPLOY_FAILED", "x"), { hosts } as unknown as RunContext, {} as never);
}

describe("liveReleaseCommand", () => {
  it("reads where current points, quoted, and never fails", () => {
    expect(liveReleaseCommand("/srv/my app/current")).toBe("readlink '/srv/my app/current' || true");
  });
});

describe("putBackOnFailure", () => {
  it("restarts the app on the live release, only on hosts recorded, and warns", async () => {
    const hooks = createHooks();
    const calls: string[] = [];
    const started = putBackOnFailure(hooks, "test:runtime", actions(calls));
    const a = host("a", "20240103000000", "/srv/a app/releases/20240102000000//\n");
    const b = host("b", "20240103000000", "/srv/b app/releases/20240102000000\n");
    started(a.ctx);
    await fail(hooks, [a.ctx, b.ctx]);
    expect(calls).toEqual(["restart a 20240102000000"]);
    expect(a.logs).toEqual([["a: app restarted on 20240102000000", "warn"]]);
    expect(a.commands).toEqual([["readlink '/srv/a app/current' || true", { allowFailure: true, quiet: true }]]);
    expect(b.commands).toEqual([]);
  });

  it("stops the app where no release is live, and leaves a host running the release it recorded", async () => {
    const hooks = createHooks();
    const calls: string[] = [];
    const started = putBackOnFailure(hooks, "test:runtime", actions(calls));
    const a = host("a", "1", "\n");
    const b = host("b", "3", "releases/3\n");
    started(a.ctx);
    started(b.ctx);
    await fail(hooks, [a.ctx, b.ctx]);
    expect(calls).toEqual(["stop a"]);
    expect(a.logs).toEqual([["a: app stopped", "warn"]]);
    expect(b.logs).toEqual([]);
  });

  it("does nothing when the run succeeds", async () => {
    const hooks = createHooks();
    const calls: string[] = [];
    const started = putBackOnFailure(hooks, "test:runtime", actions(calls));
    const a = host("a", "3", "releases/2\n");
    started(a.ctx);
    await hooks.succeeded.promise({} as never, { hosts: [a.ctx] } as unknown as RunContext);
    expect(calls).toEqual([]);
  });

  it("never throws: a failure to put back is a warning naming the app", async () => {
    const hooks = createHooks();
    const started = putBackOnFailure(hooks, "test:runtime", actions([]));
    const a = host("a", "3", new Error("connection lost"));
    const b = host("b", "3", "releases/2\n");
    const c = host("c", "3", "releases/2\n");
    started(a.ctx);
    started(b.ctx);
    started(c.ctx);
    const throwing = (ctx: HostContext): PutBackActions => ({
      name: "api.service",
      restart: () => Promise.reject(ctx.host === "b" ? new Error("unit not found") : "a string"),
      stop: () => Promise.reject(new Error("unused")),
    });
    const hooks2 = createHooks();
    const started2 = putBackOnFailure(hooks2, "test:runtime", throwing);
    for (const each of [a, b, c]) started2(each.ctx);
    await fail(hooks, [a.ctx]);
    await fail(hooks2, [a.ctx, b.ctx, c.ctx]);
    expect(a.logs).toEqual([
      ["could not put app back on the live release: connection lost", "warn"],
      ["could not put api.service back on the live release: connection lost", "warn"],
    ]);
    expect(b.logs).toEqual([["could not put api.service back on the live release: unit not found", "warn"]]);
    expect(c.logs).toEqual([["could not put api.service back on the live release: a string", "warn"]]);
  });
});

describe("tapRuntime", () => {
  it("records a host as started on published in a deploy or rollback only, and puts it back when the run fails", async () => {
    const hooks = createHooks();
    const calls: string[] = [];
    tapRuntime(hooks, "test:runtime", {
      check: () => undefined,
      publish: async (ctx) => void calls.push(`publish ${ctx.host}`),
      restart: async (ctx) => void calls.push(`restart ${ctx.host}`),
      putBack: actions(calls),
    });
    const hosts = (["deploy", "rollback", "task"] as const).map((flow, i) => {
      const each = host(`h${i}`, "3", "releases/2\n");
      (each.ctx as { flow: string }).flow = flow;
      return each.ctx;
    });
    for (const ctx of hosts) await hooks.published.promise(ctx);
    await fail(hooks, hosts);
    expect(calls).toEqual(["publish h0", "publish h1", "restart h0 2", "restart h1 2"]);
  });
});
