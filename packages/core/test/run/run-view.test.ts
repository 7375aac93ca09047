import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HostContext } from "../../src/context.js";
import type { FapConfig } from "../../src/config/types.js";
import { createFap } from "../../src/fap.js";
import { deploy } from "../../src/flows/deploy.js";
import type { FapPlugin } from "../../src/plugin.js";
import type { OnceOptions } from "../../src/context.js";
import { createFixture, rejection, type Fixture } from "../_fixture.js";

let fx: Fixture;
beforeEach(() => {
  fx = createFixture();
});
afterEach(() => fx.cleanup());

/** Two stages of two hosts each (a primary by `primary: true` in staging), every host its own path. */
function twoStages(): FapConfig {
  return {
    path: `${fx.tmp}/%(stage)s-%(host)s/app`,
    stage_role_configs: {
      production: { web: { hosts: ["a", "b"] } },
      staging: { web: { hosts: ["c", { host: "d", primary: true, labels: { zone: "z1" } }] } },
    },
  };
}

/** A plugin whose `started` tap calls `ctx.once` and reports what each host saw. */
function onceIn(options: OnceOptions | undefined, fn: (ctx: HostContext) => Promise<string>, seen: Map<string, string>): FapPlugin {
  return {
    name: "once-test",
    apply({ hooks }) {
      hooks.started.tapPromise("once-test", async (ctx) => {
        seen.set(`${ctx.stage}/${ctx.host}`, await ctx.once("key", fn, options));
      });
    },
  };
}

describe("the run view", () => {
  it("shows every tap the run's targets, and its own primary and labels", async () => {
    const views: Array<[string, boolean, Record<string, string>, unknown]> = [];
    const plugin: FapPlugin = {
      name: "view",
      apply({ hooks }) {
        hooks.started.tapPromise("view", async (ctx) => void views.push([ctx.host, ctx.primary, { ...ctx.labels }, ctx.targets]));
      },
    };
    await deploy(fx.options(createFap([plugin]), twoStages(), { selection: { role: "web" } }));
    const targets = [
      { host: "a", stage: "production", role: "web", primary: true, labels: {} },
      { host: "b", stage: "production", role: "web", primary: false, labels: {} },
      { host: "c", stage: "staging", role: "web", primary: false, labels: {} },
      { host: "d", stage: "staging", role: "web", primary: true, labels: { zone: "z1" } },
    ];
    expect(views.sort()).toEqual([
      ["a", true, {}, targets],
      ["b", false, {}, targets],
      ["c", false, {}, targets],
      ["d", true, { zone: "z1" }, targets],
    ]);
  });

  it.each([
    [undefined, 1],
    [{ per: "run" } as const, 1],
    [{ per: "stage" } as const, 2],
    [{ per: "role" } as const, 2],
    [{ per: "target" } as const, 4],
  ])("ctx.once(key, fn, %j) runs fn %i time(s); every caller gets its result", async (options, calls) => {
    const ran: string[] = [];
    const seen = new Map<string, string>();
    const fn = async (ctx: HostContext) => {
      ran.push(ctx.host);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return `from ${ctx.host}`;
    };
    await deploy(fx.options(createFap([onceIn(options, fn, seen)]), twoStages(), { selection: { role: "web" } }));
    expect(ran).toHaveLength(calls);
    // Every host got the answer of the host that ran fn for its scope.
    for (const answer of seen.values()) expect(ran).toContain(answer.replace("from ", ""));
    expect(seen.size).toBe(4);
    expect(new Set(seen.values()).size).toBe(calls);
  });

  it("lives and dies with the run: a second run runs fn again", async () => {
    const ran: string[] = [];
    const fap = createFap([onceIn(undefined, async (ctx) => (ran.push(ctx.host), "x"), new Map())]);
    await deploy(fx.options(fap, fx.config()));
    await deploy(fx.options(fap, fx.config()));
    expect(ran).toHaveLength(2);
  });

  it("gives every caller the one failure by default; with ifFailed: 'each' the others run fn themselves", async () => {
    const failFirst = () => {
      let calls = 0;
      return async (ctx: HostContext) => {
        if (calls++ === 0) throw new Error(`${ctx.host} cannot reach it`);
        return `asked by ${ctx.host}`;
      };
    };
    const shared = await rejection(deploy(fx.options(createFap([onceIn(undefined, failFirst(), new Map())]), fx.config())));
    expect(shared.message).toMatch(/^2 hosts failed|cannot reach it/);
    expect(JSON.stringify(shared.details)).not.toContain("asked by");

    const seen = new Map<string, string>();
    const each = await rejection(deploy(fx.options(createFap([onceIn({ ifFailed: "each" }, failFirst(), seen)]), fx.config())));
    // The host that ran fn failed; the other asked for itself and went on.
    expect(each.message).toContain("cannot reach it");
    expect([...seen.values()]).toHaveLength(1);
    expect([...seen.values()][0]).toMatch(/^asked by [ab]$/);
  });

  it("refuses an unknown scope with one clear line", async () => {
    const error = await rejection(deploy(fx.options(createFap([onceIn({ per: "host" as never }, async () => "x", new Map())]), fx.config())));
    expect(error.message).toContain('ctx.once(key, fn, options) needs per: "run", "stage", "role" or "target", not "host"');
  });
});
