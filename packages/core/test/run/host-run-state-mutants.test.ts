import { describe, expect, it } from "vitest";
import type { HostContext } from "../../src/context.js";
import { DeferredCommands } from "../../src/run/_deferred.js";
import { hostsOfRun, isLead, joinHostOfRun, membersOf } from "../../src/run/host-of-run.js";
import { attachRunState, deferredOf, HostRunState, runStateOf, withinFrame } from "../../src/run/host-run-state.js";

// Checks the mutation run (npm run test:mutation) found untested: which phase and actor a
// command is sent in (nested frames, other hosts' frames in between), the run state hidden on a
// context, and the hosts of the run that targets sharing a release make.

const frameOf = (state: HostRunState) => ({ phase: state.phase, actor: state.actor });

describe("HostRunState.within", () => {
  it("keeps from the frame around what a frame leaves out, and sets what it names, also to undefined", async () => {
    const state = new HostRunState(new DeferredCommands());
    expect(frameOf(state)).toEqual({ phase: undefined, actor: undefined });
    const seen = await state.within({ phase: "updating", actor: "fap:git" }, async () => [
      frameOf(state),
      await state.within({ actor: "task db:migrate" }, async () => frameOf(state)),
      await state.within({ phase: "updated" }, async () => frameOf(state)),
      await state.within({ actor: undefined }, async () => frameOf(state)),
      await state.within({}, async () => frameOf(state)),
      frameOf(state),
    ]);
    expect(seen).toEqual([
      { phase: "updating", actor: "fap:git" },
      { phase: "updating", actor: "task db:migrate" },
      { phase: "updated", actor: "fap:git" },
      { phase: "updating", actor: undefined },
      { phase: "updating", actor: "fap:git" },
      { phase: "updating", actor: "fap:git" },
    ]);
    expect(frameOf(state)).toEqual({ phase: undefined, actor: undefined });
  });

  it("finds its own frame under another host's: a tap on one host may send work to another", async () => {
    const [web, db] = [new HostRunState(new DeferredCommands()), new HostRunState(new DeferredCommands())];
    const seen = await web.within({ phase: "updating", actor: "fap:web" }, () =>
      db.within({ phase: "migrating", actor: "fap:db" }, async () => [frameOf(web), frameOf(db)]),
    );
    expect(seen).toEqual([
      { phase: "updating", actor: "fap:web" },
      { phase: "migrating", actor: "fap:db" },
    ]);
    // A frame of another host is no frame of this one.
    expect(await db.within({ phase: "x" }, async () => db.within({}, async () => frameOf(web)))).toEqual({ phase: undefined, actor: undefined });
  });
});

describe("a context's run state", () => {
  it("is hidden from spreads and JSON, and found only on what core made", async () => {
    const deferred = new DeferredCommands();
    const state = new HostRunState(deferred);
    const ctx = { host: "web1" };
    attachRunState(ctx, state);
    expect(runStateOf(ctx)).toBe(state);
    expect(deferredOf(ctx)).toBe(deferred);
    expect(Object.keys(ctx)).toEqual(["host"]);
    expect(JSON.stringify(ctx)).toBe('{"host":"web1"}');
    expect(runStateOf({ ...ctx })).toBeUndefined();
    for (const other of [null, undefined, "web1", 7, { [Symbol("fap.hostRunState")]: state }]) expect(runStateOf(other)).toBeUndefined();
    expect(deferredOf({})).toBeUndefined();
    expect(await withinFrame(ctx, { phase: "p" }, async () => state.phase)).toBe("p");
    expect(await withinFrame({}, { phase: "p" }, async () => state.phase)).toBeUndefined();
  });
});

describe("hosts of the run", () => {
  const ctx = (host: string, role = "web") => ({ host, role }) as HostContext;

  it("makes targets sharing a release one unit, led by the first in config order", () => {
    const [web, worker, b, c] = [ctx("a"), ctx("a", "worker"), ctx("b"), ctx("c")];
    joinHostOfRun([web!, worker!]);
    expect(membersOf(worker!)).toEqual([web, worker]);
    expect(Object.isFrozen(membersOf(web!))).toBe(true);
    expect([isLead(web!), isLead(worker!), isLead(b!)]).toEqual([true, false, true]);
    expect(membersOf(b!)).toEqual([b]);
    expect(hostsOfRun([b!, worker!, c!, web!])).toEqual([[b], [worker, web], [c]]);
    expect(hostsOfRun([worker!])).toEqual([[worker]]);
  });
});
