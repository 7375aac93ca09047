import { describe, expect, it } from "vitest";
import type { HostContext } from "../../src/context.js";
import { FapError } from "../../src/errors.js";
import { createHooks } from "../../src/hooks/hooks.js";
import { tagError } from "../../src/hooks/_tag-tap-errors.js";
import { rejection } from "../../../../test/thrown.js";

// Checks the mutation run (npm run test:mutation) found untested: which host and hook an error
// of a tap is tagged with when the error already names some of them, and what a tap resolves to.

const ctx = { host: "web1" } as HostContext;

describe("errors of taps", () => {
  it("keep the host a FapError names, and get the ctx's when it names none", async () => {
    const hooks = createHooks();
    hooks.updated.tapPromise("p", async () => {
      throw new FapError("E_COMMAND_FAILED", "on another host", { host: "db1" });
    });
    const error = await rejection(hooks.updated.promise(ctx));
    expect([error.plugin, error.hook, error.host, error.code]).toEqual(["p", "updated", "db1", "E_COMMAND_FAILED"]);

    const bare = createHooks();
    bare.updated.tapAsync("q", (_ctx, done) => done(new FapError("E_COMMAND_FAILED", "here")));
    const tagged = await rejection(bare.updated.promise(ctx));
    expect([tagged.plugin, tagged.hook, tagged.host]).toEqual(["q", "updated", "web1"]);
  });

  it("of the failed hook are not tagged with the host the run's error names", async () => {
    const hooks = createHooks();
    hooks.failed.tap("fap:notify", () => {
      throw new Error("slack down");
    });
    const runError = new FapError("E_DEPLOY_FAILED", "x", { host: "web1" });
    const error = await rejection(hooks.failed.promise(runError, {} as never, {} as never));
    expect([error.plugin, error.hook, error.host]).toEqual(["fap:notify", "failed", undefined]);
  });

  it("of a run hook name no host; a ctx whose host is no string names none", async () => {
    const hooks = createHooks();
    hooks.building.tap("b", () => {
      throw new Error("no node");
    });
    expect((await rejection(hooks.building.promise({ host: 42 } as never))).host).toBeUndefined();
    expect((await rejection(hooks.building.promise(null as never))).host).toBeUndefined();
    expect((await rejection(hooks.building.promise(undefined as never))).host).toBeUndefined();
  });

  it("a FapError tagged with a plugin but no hook gets the hook, keeping its plugin", () => {
    const ofTask = new FapError("E_PLUGIN", "boom", { plugin: "plug", host: "web1", hint: "retry" });
    const tagged = tagError(ofTask, "fap:hooks", "published", "web2");
    expect([tagged.plugin, tagged.hook, tagged.host, tagged.hint, tagged.cause]).toEqual(["plug", "published", "web1", "retry", ofTask]);
    const hooked = new FapError("E_PLUGIN", "boom", { hook: "updated" });
    expect([tagError(hooked, "p", "published").plugin, tagError(hooked, "p", "published").hook]).toEqual(["p", "updated"]);
    const noHook = new FapError("E_PLUGIN", "boom", { plugin: "plug" });
    expect(tagError(noHook, "other", undefined)).toBe(noHook);
  });
});

describe("taps that succeed", () => {
  it("leave the hook resolving, whatever they return", async () => {
    const hooks = createHooks();
    const seen: string[] = [];
    hooks.updated.tapAsync("a", (_ctx, done) => done(null, "ignored"));
    hooks.updated.tapPromise("b", async () => void seen.push("b"));
    hooks.updated.tap("c", () => void seen.push("c"));
    await expect(hooks.updated.promise(ctx)).resolves.toBeUndefined();
    expect(seen).toEqual(["b", "c"]);
  });
});
