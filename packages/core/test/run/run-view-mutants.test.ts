import { describe, expect, it } from "vitest";
import type { HostContext, OnceOptions } from "../../src/context.js";
import { OnceRegistry, targetsOfRun } from "../../src/run/run-view.js";
import { rejection } from "../../../../test/thrown.js";

// Checks the mutation run (npm run test:mutation) found untested: which callers of ctx.once
// share one call for each scope, a refused key or option, and the frozen view of the run.

const host = (stage: string, role: string, name: string) => ({ stage, role, host: name }) as HostContext;

/** Calls `ctx.once(key, …, options)` for each caller in turn; the hosts whose fn ran. */
async function ranFor(callers: HostContext[], options: OnceOptions, key = "k") {
  const once = new OnceRegistry();
  const ran: string[] = [];
  for (const ctx of callers) {
    await once.forHost(() => ctx)(key, (caller) => void ran.push(`${caller.stage}.${caller.role}@${caller.host}`), options);
  }
  return ran;
}

describe("OnceRegistry", () => {
  it("shares one call per stage, per stage.role, per target", async () => {
    const callers = [host("p", "web", "a"), host("p", "web", "b"), host("p", "db", "a"), host("s", "web", "a"), host("s", "db", "c")];
    expect(await ranFor(callers, { per: "stage" })).toEqual(["p.web@a", "s.web@a"]);
    expect(await ranFor(callers, { per: "role" })).toEqual(["p.web@a", "p.db@a", "s.web@a", "s.db@c"]);
    expect(await ranFor(callers, { per: "target" })).toEqual(["p.web@a", "p.web@b", "p.db@a", "s.web@a", "s.db@c"]);
    expect(await ranFor([...callers, host("p", "web", "a")], { per: "target" })).toHaveLength(5);
    expect(await ranFor(callers, { per: "run" })).toEqual(["p.web@a"]);
  });

  it("keeps scopes and keys apart", async () => {
    const once = new OnceRegistry();
    const ran: string[] = [];
    const call = (ctx: HostContext, per: OnceOptions["per"], key = "k") => once.forHost(() => ctx)(key, () => void ran.push(`${per}`), { per });
    await call(host("p", "web", "a"), "run");
    await call(host("p", "web", "a"), "stage");
    await call(host("p", "web", "a"), "role");
    await call(host("p", "web", "a"), "target");
    await call(host("p", "web", "a"), "stage", "x");
    await call(host("p", "web", "a"), "run", "x");
    expect(ran).toEqual(["run", "stage", "role", "target", "stage", "run"]);
  });

  it("keeps a failure thrown at once for the others, like one thrown later", async () => {
    const once = new OnceRegistry();
    let calls = 0;
    const fn = () => {
      calls++;
      throw new Error("unreachable");
    };
    for (const name of ["a", "b"]) {
      await expect(once.forHost(() => host("p", "web", name))("k", fn)).rejects.toThrow("unreachable");
    }
    expect(calls).toBe(1);
    await expect(once.forHost(() => host("p", "web", "c"))("k", fn, { ifFailed: "share" })).rejects.toThrow("unreachable");
    expect(calls).toBe(1);
  });

  it("gives every caller the value of the one call, also with ifFailed: 'each'", async () => {
    const once = new OnceRegistry();
    let calls = 0;
    const fn = async (ctx: HostContext) => `${++calls} ${ctx.host}`;
    expect(await once.forHost(() => host("p", "web", "a"))("k", fn)).toBe("1 a");
    expect(await once.forHost(() => host("p", "web", "b"))("k", fn, { ifFailed: "each" })).toBe("1 a");
  });

  it.each<[string, unknown, unknown, string]>([
    ["an empty key", "", {}, "a non-empty key"],
    ["a key that is no string", 7, {}, "a non-empty key"],
    ["an unknown ifFailed", "k", { ifFailed: "retry" }, 'ifFailed: "share" or "each", not "retry"'],
    ["an unknown per", "k", { per: 1 }, 'per: "run", "stage", "role" or "target", not 1'],
  ])("refuses %s, naming the host", async (_name, key, options, needs) => {
    const once = new OnceRegistry().forHost(() => host("p", "web", "a"));
    const error = await rejection(once(key as string, () => "x", options as OnceOptions));
    expect([error.code, error.message, error.host]).toEqual(["E_PLUGIN", `ctx.once(key, fn, options) needs ${needs}`, "a"]);
  });
});

describe("targetsOfRun", () => {
  it("shows each target's host, stage, role, primary and labels, frozen", () => {
    const written = [{ host: "a", stage: "p", role: "web", primary: true, labels: { zone: "z" }, layers: [] }];
    const view = targetsOfRun(written);
    expect(view).toStrictEqual([{ host: "a", stage: "p", role: "web", primary: true, labels: { zone: "z" } }]);
    expect(Object.isFrozen(view)).toBe(true);
    expect(Object.isFrozen(view[0])).toBe(true);
  });
});
