import { describe, expect, it } from "vitest";
import { createFap } from "../../src/fap.js";
import { deploy } from "../../src/flows/deploy.js";
import { restart } from "../../src/flows/restart.js";
import type { HostHookName } from "../../src/hooks/hooks.js";
import type { FapPlugin } from "../../src/plugin.js";
import { clock, tracer } from "../_test-plugins.js";
import { cuttableConnector } from "../_wrap-connector.js";
import { recordEvents, rejection, useFixture } from "../_fixture.js";

// Checks the mutation run (npm run test:mutation) found untested in flows/restart.ts and
// flows/_run.ts: a rolling restart batch by batch, and --max-failed (hosts dropping out while
// preparing, the limit, all of them failing, Ctrl-C). Only the end-to-end tests read them before.

const fx = useFixture();

const three = () => fx.config({}, { hosts: ["a", "b", "c"] });
const results = (events: ReturnType<typeof recordEvents>) => events.flatMap((e) => (e.type === "host-result" ? [`${e.event.host} ${e.event.ok ? "ok" : "failed"} ${e.event.state ?? ""}`.trim()] : []));

/** A plugin that aborts `controller` (Ctrl-C) at `hook`: on the first host there, or on `host`. */
function stopper(controller: AbortController, host?: string, hook: HostHookName = "started"): FapPlugin {
  return {
    name: "test:stop",
    apply({ hooks }) {
      hooks[hook].tapPromise("test:stop", async (ctx) => {
        if (host === undefined || ctx.host === host) controller.abort("SIGINT");
      });
    },
  };
}

describe("a rolling restart", () => {
  it("restarts and checks each batch before the next, waiting between them", async () => {
    await deploy(fx.options(createFap(), three()));
    const seen: string[] = [];
    const startedAt = new Map<string, number>();
    await restart(fx.options(createFap([tracer(seen, ["restarting", "checking"]), clock(startedAt, "restarting")]), three(), { rollout: { batch: "2", batchWaitMs: 200 } }));
    // The wait is between the batches: c's restart starts at least 200 ms after the first batch's.
    expect(startedAt.get("c")! - Math.max(startedAt.get("a")!, startedAt.get("b")!)).toBeGreaterThanOrEqual(200);
    expect(seen.slice(0, 4).sort()).toEqual(["a checking", "a restarting", "b checking", "b restarting"]);
    expect(seen.slice(4)).toEqual(["c restarting", "c checking"]);
  });

  it("stops at a failed batch: later batches are not restarted", async () => {
    await deploy(fx.options(createFap(), three()));
    const seen: string[] = [];
    const fap = createFap([tracer(seen, ["restarting"], ["a restarting"])]);
    const events = recordEvents(fap);
    const error = await rejection(restart(fx.options(fap, three(), { rollout: { batch: "1" } })));
    expect(error.message).toBe("restart failed on 1 host: a (restarting): [test:trace] restarting: restarting failed");
    expect(seen).toEqual(["a restarting"]);
    expect(results(events)).toEqual(["a failed", "b ok", "c ok"]);
  });
});

describe("a restart's results", () => {
  it("say which host was lost (unreachable) and which was restarted", async () => {
    await deploy(fx.options(createFap(), fx.config()));
    const { cut, connector } = cuttableConnector(fx.connector);
    const fap = createFap([
      {
        name: "test:cut",
        apply({ hooks }) {
          hooks.restarting.tapPromise("test:cut", async (ctx) => {
            if (ctx.host === "b") cut.add("b");
            await ctx.run("true");
          });
        },
      },
    ]);
    const events = recordEvents(fap);
    await rejection(restart(fx.options(fap, fx.config(), { connector })));
    const unreachable = events.flatMap((e) => (e.type === "host-result" ? [[e.event.host, e.event.ok, e.event.unreachable]] : []));
    expect(unreachable).toEqual([
      ["a", true, undefined],
      ["b", false, true],
    ]);
  });
});

describe("--max-failed", () => {
  it("lets the hosts that prepared go on while no more than max-failed dropped out", async () => {
    const seen: string[] = [];
    const fap = createFap([tracer(seen, ["updating", "updated"], ["b updating"])]);
    const events = recordEvents(fap);
    const error = await rejection(deploy(fx.options(fap, three(), { rollout: { maxFailed: 1 } })));
    expect(error.message).toBe("deploy failed on 1 host: b (updating): [test:trace] updating: updating failed");
    expect(error.hint).toBe("the new release is live on the other 2 host(s) (within --max-failed)");
    expect(seen.filter((s) => s.endsWith("updated")).sort()).toEqual(["a updated", "c updated"]);
    expect(results(events)).toEqual(["a ok done", "b failed not-switched", "c ok done"]);
    expect([fx.current("a"), fx.current("b"), fx.current("c")].map(Boolean)).toEqual([true, false, true]);
    expect(fx.releases("b")).toEqual([]);
  });

  it("stops everywhere once more than max-failed failed", async () => {
    const seen: string[] = [];
    const fap = createFap([tracer(seen, ["updating", "updated"], ["a updating", "b updating"])]);
    const error = await rejection(deploy(fx.options(fap, three(), { rollout: { maxFailed: 1 } })));
    expect(error.message).toMatch(/^deploy failed on 2 hosts: a, b \(updating\)/);
    expect(error.hint).toBe("no host was switched; the new release was removed from every host");
    expect(seen.filter((s) => s.endsWith("updated"))).toEqual([]);
    for (const host of ["a", "b", "c"]) expect(fx.current(host)).toBeUndefined();
  });

  it("starts no more hosts in a phase once the failures of every phase so far pass max-failed", async () => {
    const seen: string[] = [];
    const fap = createFap([tracer(seen, ["updating", "updated"], ["a updating", "b updated"])]);
    await rejection(deploy(fx.options(fap, three(), { rollout: { maxFailed: 1 }, parallel: 1 })));
    // a dropped out in updating; b's failure in updated is the second: c is not started there.
    expect(seen.filter((s) => s.endsWith("updated"))).toEqual(["b updated"]);
  });

  it("drops the roles that share a release with a host that failed, together", async () => {
    const seen: string[] = [];
    const config = {
      stage_role_configs: {
        production: { web: { hosts: ["a", "b"], path: `${fx.tmp}/%(host)s/app` }, worker: { hosts: ["a"], path: `${fx.tmp}/a/app` } },
      },
    };
    // Only a's first target fails; its other role shares the release and goes with it.
    const fap = createFap([tracer(seen, ["updating", "updated"], ["a updating 1"])]);
    await rejection(deploy(fx.options(fap, config, { rollout: { maxFailed: 1 } })));
    expect(seen.filter((s) => s.endsWith("updated"))).toEqual(["b updated"]);
  });

  it("stops every host after Ctrl-C in a phase none of them failed, in the next phase", async () => {
    const controller = new AbortController();
    // b is the last host to start `started`: a is in it too when Ctrl-C comes, and both pass it.
    const fap = createFap([stopper(controller, "b")]);
    const error = await rejection(deploy(fx.options(fap, fx.config(), { rollout: { maxFailed: 1 }, signal: controller.signal })));
    expect(error.message).toBe("deploy failed on 2 hosts: a, b (updating): interrupted by SIGINT");
  });

  it("stops the hosts that passed the last phase of preparing before publishing, after Ctrl-C in it", async () => {
    const controller = new AbortController();
    // One host at a time: a has passed `updated` when Ctrl-C comes on b, whose step after it is refused.
    const fap = createFap([stopper(controller, "b", "updated")]);
    const error = await rejection(deploy(fx.options(fap, fx.config(), { rollout: { maxFailed: 1 }, signal: controller.signal, parallel: 1 })));
    expect(error.message).toBe("deploy failed on 2 hosts: b (updated): interrupted by SIGINT; a (publishing): interrupted by SIGINT");
  });

  it("stops when every host failed, even within max-failed", async () => {
    const seen: string[] = [];
    const fap = createFap([tracer(seen, ["updating", "updated"], ["a updating", "b updating", "c updating"])]);
    const events = recordEvents(fap);
    await rejection(deploy(fx.options(fap, three(), { rollout: { maxFailed: 5 } })));
    expect(seen.filter((s) => s.endsWith("updated"))).toEqual([]);
    // No phase of no hosts follows.
    expect(events.flatMap((e) => (e.type === "phase" && e.event.state === "start" ? [e.event.phase] : [])).at(-1)).toBe("updating");
  });

  it("stops the hosts still going after Ctrl-C, in the next phase", async () => {
    const controller = new AbortController();
    const fap = createFap([stopper(controller)]);
    const error = await rejection(deploy(fx.options(fap, fx.config(), { rollout: { maxFailed: 1 }, signal: controller.signal })));
    expect(error.code).toBe("E_INTERRUPTED");
    // b found the signal when it came to `started`; a had passed it and stops before `updating`.
    expect(error.message).toBe("deploy failed on 2 hosts: b (started): interrupted by SIGINT; a (updating): interrupted by SIGINT");
  });
});
