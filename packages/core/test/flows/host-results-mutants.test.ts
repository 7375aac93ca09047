import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FapEventMap } from "../../src/events.js";
import { createFap } from "../../src/fap.js";
import { deploy } from "../../src/flows/deploy.js";
import { rollback } from "../../src/flows/rollback.js";
import type { HostContext } from "../../src/context.js";
import type { HostHookName } from "../../src/hooks/hooks.js";
import type { FapPlugin } from "../../src/plugin.js";
import { recordEvents, rejection, useFixture } from "../_fixture.js";
import { cuttableConnector } from "../_wrap-connector.js";

// Checks the mutation run (npm run test:mutation) found untested in flows/_host-results.ts,
// _undo.ts and the failing ends of deploy and rollback: what each host's result and the run's
// hint say when a host cannot be put back or finished (unreachable, its undo failed), with its
// lock left. Only the end-to-end tests, which run the built dist, read them before.

const fx = useFixture();

/** The fixture's connector, whose hosts in `cut` answer every command with a lost connection. */
const cuttable = () => cuttableConnector(fx.connector);

/** A plugin that runs `act` at `hook` on `host`. */
function atHook(hook: HostHookName, host: string, act: (ctx: HostContext) => void | Promise<unknown>): FapPlugin {
  return {
    name: "test:cut",
    apply({ hooks }) {
      hooks[hook].tapPromise("test:cut", async (ctx) => {
        if (ctx.host === host) await act(ctx);
      });
    },
  };
}

/** A plugin that runs `act` at `hook` on `host`, then fails there. */
function failAfter(hook: HostHookName, host: string, act: (ctx: HostContext) => void | Promise<unknown>): FapPlugin {
  return atHook(hook, host, async (ctx) => {
    await act(ctx);
    throw new Error("boom");
  });
}

/** A deploy through the cuttable connector with the plugins `using` its cut set makes: the run's error and each host's result. */
async function deployCut(using: (cut: Set<string>) => FapPlugin[]) {
  const { cut, connector } = cuttable();
  const fap = createFap(using(cut));
  const events = recordEvents(fap);
  const error = await rejection(deploy(fx.options(fap, fx.config(), { connector })));
  return { error, results: hostResults(events).map(pick) };
}

function hostResults(events: ReturnType<typeof recordEvents>): Array<FapEventMap["host-result"][0]> {
  return events.flatMap((e) => (e.type === "host-result" ? [e.event] : []));
}

const pick = (r: FapEventMap["host-result"][0]) => ({ host: r.host, ok: r.ok, state: r.state, note: r.note, lockLeft: r.lockLeft, unreachable: r.unreachable });

describe("a deploy whose put-back fails", () => {
  it("says a host it cannot reach is NOT switched back, what it runs, and that its lock is left", async () => {
    const before = (await deploy(fx.options(createFap(), fx.config()))).hosts[0]!.release!;
    const { cut, connector } = cuttable();
    const fap = createFap([failAfter("published", "b", () => void cut.add("b"))]);
    const events = recordEvents(fap);
    const error = await rejection(deploy(fx.options(fap, fx.config(), { connector })));
    const id = "240102-030407";
    expect(error.message).toBe("deploy failed on 1 host: b (published): [test:cut] published: boom");
    const note = `NOT switched back: unreachable — it runs ${id}, marked live (not ok: never rolled back to); lock left`;
    expect(error.hint).toBe(`a: switched back to their previous release; b: ${note}; once b can be reached, check what it runs and free the lock: fap unlock -s production`);
    expect(hostResults(events).map(pick)).toEqual([
      { host: "a", ok: false, state: "switched-back", note: "switched back", lockLeft: undefined, unreachable: undefined },
      { host: "b", ok: false, state: "not-switched-back", note, lockLeft: true, unreachable: true },
    ]);
    expect(events.some((e) => e.type === "log" && e.event.host === "b" && e.event.level === "warn" && e.event.message === "clean-up failed: connection lost")).toBe(true);
    expect(fx.current("a")).toBe(before);
    expect(fx.current("b")).toBe(id);
  });

  it("says the undo command failed, with its exit code and first stderr line", async () => {
    const before = (await deploy(fx.options(createFap(), fx.config()))).hosts[0]!.release!;
    // A directory where the switch back puts its temporary link: `mv -T` refuses to move it onto current.
    const fap = createFap([failAfter("published", "b", () => void mkdirSync(join(fx.root("b"), `.current-${before}.tmp`, "x"), { recursive: true }))]);
    const events = recordEvents(fap);
    const error = await rejection(deploy(fx.options(fap, fx.config())));
    const b = hostResults(events).find((r) => r.host === "b")!;
    expect(b.state).toBe("not-switched-back");
    expect(b.note).toMatch(/^NOT switched back: the undo command failed on the host \(exit 1: mv: [^\n]+\) — it runs 240102-030407, marked live/);
    expect(b.lockLeft).toBeUndefined();
    expect(b.unreachable).toBeUndefined();
    expect(error.hint).not.toMatch(/fap unlock/);
    // What the clean-up printed is fap's to read (its answer is in the result), not shown as the host's output.
    expect(events.flatMap((e) => (e.type === "output" && e.event.line.startsWith("mv:") ? [e.event.quiet] : []))).toEqual([true]);
  });

  it("says only the exit code of an undo that printed nothing", async () => {
    const before = (await deploy(fx.options(createFap(), fx.config()))).hosts[0]!.release!;
    const fap = createFap([failAfter("published", "b", () => rmSync(join(fx.root("b"), "releases", before), { recursive: true }))]);
    const events = recordEvents(fap);
    await rejection(deploy(fx.options(fap, fx.config())));
    expect(hostResults(events).find((r) => r.host === "b")!.note).toBe(
      "NOT switched back: the undo command failed on the host (exit 1) — it runs 240102-030407, marked live (not ok: never rolled back to)",
    );
  });
});

describe("a deploy whose put-back fails everywhere, or on one of three hosts", () => {
  it("names no undone hosts when there are none, and every host whose lock is left", async () => {
    const { cut, connector } = cuttable();
    const cutBoth: FapPlugin = {
      name: "test:cut",
      apply({ hooks }) {
        hooks.published.tapPromise("test:cut", async (ctx) => {
          cut.add(ctx.host);
          throw new Error("boom");
        });
      },
    };
    const error = await rejection(deploy(fx.options(createFap([cutBoth]), fx.config(), { connector })));
    const note = "NOT switched back: unreachable — it runs 240102-030406, marked live (not ok: never rolled back to); lock left";
    expect(error.hint).toBe(`a: ${note}; b: ${note}; once a, b can be reached, check what it runs and free the lock: fap unlock -s production`);
  });

  it("lists the hosts it put back together", async () => {
    const { cut, connector } = cuttable();
    const fap = createFap([failAfter("published", "c", () => void cut.add("c"))]);
    const error = await rejection(deploy(fx.options(fap, fx.config({}, { hosts: ["a", "b", "c"] }), { connector })));
    expect(error.hint).toMatch(/^a, b: switched back to their previous release; c: NOT switched back: unreachable/);
  });
});

describe("a deploy whose finishing steps fail", () => {
  it("says the release is live on each host", async () => {
    const fap = createFap([failAfter("finishing", "b", () => undefined)]);
    const events = recordEvents(fap);
    await rejection(deploy(fx.options(fap, fx.config())));
    expect(hostResults(events).map((r) => [r.host, r.state, r.note])).toEqual([
      ["a", "live", "240102-030406 is live"],
      ["b", "live", "240102-030406 is live"],
    ]);
  });
});

describe("a deploy that fails on a host it cannot reach", () => {
  it("marks that host unreachable, and says how a clean-up before publishing failed", async () => {
    const { error, results } = await deployCut((cut) => [failAfter("updating", "b", () => void cut.add("b"))]);
    expect(results).toEqual([
      { host: "a", ok: false, state: "not-switched", note: "not switched", lockLeft: undefined, unreachable: undefined },
      { host: "b", ok: false, state: "not-switched", note: "not switched; clean-up failed: unreachable; lock left", lockLeft: true, unreachable: true },
    ]);
    expect(error.hint).toBe("a: not switched, the new release removed; b: not switched; clean-up failed: unreachable; lock left; once b can be reached, check what it runs and free the lock: fap unlock -s production");
  });

  it("marks a host whose own phase lost the connection unreachable, though its clean-up worked", async () => {
    const lose = (cut: Set<string>) =>
      atHook("updating", "b", async (ctx) => {
        cut.add("b");
        try {
          await ctx.run("true");
        } finally {
          cut.delete("b");
        }
      });
    const { error, results } = await deployCut((cut) => [lose(cut)]);
    expect(error.code).toBe("E_CONNECTION_LOST");
    expect(results).toEqual([
      { host: "a", ok: false, state: "not-switched", note: "not switched", lockLeft: undefined, unreachable: undefined },
      { host: "b", ok: false, state: "not-switched", note: "not switched", lockLeft: undefined, unreachable: true },
    ]);
    expect(error.hint).toBe("no host was switched; the new release was removed from every host");
  });

  it("keeps the release live where the run could not finish, and fails as a clean-up that failed", async () => {
    const { error, results } = await deployCut((cut) => [atHook("finished", "b", () => void cut.add("b"))]);
    const id = "240102-030406";
    expect(error.code).toBe("E_CLEANUP_FAILED");
    expect(error.message).toBe("deploy failed on 1 host: b (clean-up): unreachable");
    const note = `${id} is live, but the run could not finish there: unreachable; lock left`;
    expect(error.hint).toBe(`a: the new release is live and marked ok; b: ${note}; once b can be reached, check what it runs and free the lock: fap unlock -s production`);
    expect(results).toEqual([
      { host: "a", ok: true, state: "done", note: undefined, lockLeft: undefined, unreachable: undefined },
      { host: "b", ok: false, state: "live", note, lockLeft: true, unreachable: true },
    ]);
    expect(fx.log("a").get(id)?.status).toBe("ok");
    expect(fx.log("b").get(id)?.status).toBe("live");
  });
});

describe("a rollback whose put-back or finish fails", () => {
  async function twoReleases() {
    await deploy(fx.options(createFap(), fx.config()));
    return [(await deploy(fx.options(createFap(), fx.config()))).hosts[0]!.release!, "240102-030406"] as const;
  }

  it("says what a host NOT switched back runs and how its log marks the release it left", async () => {
    const [newest, previous] = await twoReleases();
    const { cut, connector } = cuttable();
    const fap = createFap([failAfter("published", "b", () => void cut.add("b"))]);
    const events = recordEvents(fap);
    const error = await rejection(rollback(fx.options(fap, fx.config(), { connector })));
    const note = `NOT switched back: unreachable — it runs ${previous}, and ${newest} is marked rolled-back; lock left`;
    expect(hostResults(events).map(pick)).toEqual([
      { host: "a", ok: false, state: "switched-back", note: "switched back", lockLeft: undefined, unreachable: undefined },
      { host: "b", ok: false, state: "not-switched-back", note, lockLeft: true, unreachable: true },
    ]);
    expect(error.hint).toBe(`a: switched back to their previous release; b: ${note}; once b can be reached, check what it runs and free the lock: fap unlock -s production`);
    expect(fx.current("a")).toBe(newest);
    expect(fx.log("a").get(newest)?.status).toBe("ok");
  });

  it("keeps the rollback live where it could not finish", async () => {
    const [newest, previous] = await twoReleases();
    const { cut, connector } = cuttable();
    const cutter: FapPlugin = {
      name: "test:cut",
      apply({ hooks }) {
        hooks.finished.tapPromise("test:cut", async (ctx) => void (ctx.host === "b" && cut.add("b")));
      },
    };
    const fap = createFap([cutter]);
    const events = recordEvents(fap);
    const error = await rejection(rollback(fx.options(fap, fx.config(), { connector })));
    const note = `the rollback to ${previous} is live, but the run could not finish there: unreachable; lock left`;
    expect(error.hint).toBe(`a: the rollback is live; b: ${note}; once b can be reached, check what it runs and free the lock: fap unlock -s production`);
    expect(hostResults(events).map((r) => [r.host, r.state, r.note])).toEqual([
      ["a", "done", undefined],
      ["b", "live", note],
    ]);
    expect(fx.releases("a")).toEqual([previous]);
    expect(fx.releases("b")).toEqual([previous, newest]);
  });

  it("says nothing was changed when preparing it failed", async () => {
    await twoReleases();
    const error = await rejection(rollback(fx.options(createFap([failAfter("started", "b", () => undefined)]), fx.config())));
    expect(error.hint).toBe("nothing was changed");
  });
});
