import { describe, expect, it } from "vitest";
import type { FapEventMap } from "../../src/events.js";
import { createFap } from "../../src/fap.js";
import { deploy } from "../../src/flows/deploy.js";
import type { FapPlugin } from "../../src/plugin.js";
import { clock, tracer } from "../_test-plugins.js";
import { HOSTS, recordEvents, rejection, useFixture } from "../_fixture.js";

// Checks the mutation run (npm run test:mutation) found untested in flows/_publish.ts and the
// deploy's ends: a canary (published, checked, checked again after its wait, then the rest),
// rolling batches, which hosts a failed publish puts back, and Ctrl-C during the last phase.
// Only the end-to-end tests, which run the built dist, read them before.

const fx = useFixture();

function canaryEvents(fap: ReturnType<typeof createFap>) {
  const seen: Array<FapEventMap["canary"][0]> = [];
  fap.events.on("canary", (event) => seen.push(event));
  return seen;
}

const results = (events: ReturnType<typeof recordEvents>) => events.flatMap((e) => (e.type === "host-result" ? [`${e.event.host} ${e.event.state}`] : []));

describe("a canary", () => {
  it("is published and checked alone, checked again after canary_wait, then the others follow", async () => {
    const seen: string[] = [];
    const fap = createFap([tracer(seen, ["publishing", "checking"])]);
    const canary = canaryEvents(fap);
    const started = Date.now();
    await deploy(fx.options(fap, fx.config({ canary: 1, canary_wait: 0.3 })));
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(seen).toEqual(["a publishing", "a checking", "a checking", "b publishing", "b checking"]);
    expect(canary).toEqual([
      { state: "publish", hosts: ["a"] },
      { state: "wait", hosts: ["a"], waitMs: 300 },
      { state: "passed", hosts: ["a"] },
    ]);
  });

  it("waits no time without canary_wait", async () => {
    const fap = createFap();
    const canary = canaryEvents(fap);
    await deploy(fx.options(fap, fx.config({ canary: 2 })));
    expect(canary.map((e) => [e.state, e.hosts, e.waitMs])).toEqual([
      ["publish", ["a", "b"], undefined],
      ["wait", ["a", "b"], 0],
      ["passed", ["a", "b"], undefined],
    ]);
  });

  it("that fails its second check stops the run: it is switched back, the others never switched", async () => {
    const seen: string[] = [];
    const fap = createFap([tracer(seen, ["publishing", "checking"], ["a checking 2"])]);
    const canary = canaryEvents(fap);
    const events = recordEvents(fap);
    const error = await rejection(deploy(fx.options(fap, fx.config({ canary: 1 }))));
    expect(error.message).toBe("deploy failed on 1 host: a (checking): [test:trace] checking: checking failed");
    expect(seen).toEqual(["a publishing", "a checking", "a checking"]);
    expect(canary.map((e) => e.state)).toEqual(["publish", "wait", "failed"]);
    expect(results(events)).toEqual(["a switched-back", "b not-switched"]);
    for (const host of HOSTS) {
      expect(fx.current(host)).toBeUndefined();
      expect(fx.releases(host)).toEqual([]);
    }
  });

  it("that fails its publish waits for nothing and is not checked", async () => {
    const seen: string[] = [];
    const fap = createFap([tracer(seen, ["published", "checking"], ["a published 1"])]);
    const canary = canaryEvents(fap);
    await rejection(deploy(fx.options(fap, fx.config({ canary: 1, canary_wait: 30 }))));
    expect(seen).toEqual(["a published"]);
    expect(canary.map((e) => e.state)).toEqual(["publish", "failed"]);
  });
});

describe("rolling batches", () => {
  it("publish and check each batch before the next one starts", async () => {
    const seen: string[] = [];
    const startedAt = new Map<string, number>();
    await deploy(fx.options(createFap([tracer(seen, ["publishing", "checking"]), clock(startedAt, "publishing")]), fx.config(), { rollout: { batch: "1", batchWaitMs: 200 } }));
    expect(seen).toEqual(["a publishing", "a checking", "b publishing", "b checking"]);
    // --batch-wait is between the batches, not before the first.
    expect(startedAt.get("b")! - startedAt.get("a")!).toBeGreaterThanOrEqual(200);
  });

  it("stop at a failed batch: the hosts of earlier batches are switched back, later ones keep their current", async () => {
    const before = (await deploy(fx.options(createFap(), fx.config()))).hosts[0]!.release!;
    const seen: string[] = [];
    const fap = createFap([tracer(seen, ["publishing"], ["a publishing 1"])]);
    const events = recordEvents(fap);
    const error = await rejection(deploy(fx.options(fap, fx.config(), { rollout: { batch: "1" } })));
    expect(seen).toEqual(["a publishing"]);
    expect(results(events)).toEqual(["a switched-back", "b not-switched"]);
    expect(error.hint).toBe("every host was switched back to the release it had before");
    for (const host of HOSTS) {
      expect(fx.current(host)).toBe(before);
      expect(fx.releases(host)).toEqual([before]);
    }
  });

  it("put back every host reached when a later batch fails", async () => {
    const before = (await deploy(fx.options(createFap(), fx.config()))).hosts[0]!.release!;
    const fap = createFap([tracer([], ["checking"], ["b checking 1"])]);
    const events = recordEvents(fap);
    await rejection(deploy(fx.options(fap, fx.config(), { rollout: { batch: "1" } })));
    expect(results(events)).toEqual(["a switched-back", "b switched-back"]);
    for (const host of HOSTS) expect(fx.current(host)).toBe(before);
  });
});

describe("Ctrl-C", () => {
  it("while publishing starts no check: the next step reports the interruption, the release stays live", async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const stopper: FapPlugin = {
      name: "test:stop",
      apply({ hooks }) {
        hooks.published.tapPromise("test:stop", async () => controller.abort("SIGINT"));
      },
    };
    const fap = createFap([stopper, tracer(seen, ["checking"])]);
    const events = recordEvents(fap);
    const error = await rejection(deploy(fx.options(fap, fx.config({}, { hosts: ["a"] }), { signal: controller.signal })));
    expect(error.code).toBe("E_INTERRUPTED");
    expect(error.message).toBe("deploy failed on 1 host: a (finishing): interrupted by SIGINT");
    expect(seen).toEqual([]);
    expect(results(events)).toEqual(["a live"]);
    expect(fx.current("a")).toBe(fx.releases("a")[0]);
  });

  it("during the last phase lets the run finish, then says it was interrupted with nothing left to do", async () => {
    const controller = new AbortController();
    const stopper: FapPlugin = {
      name: "test:stop",
      apply({ hooks }) {
        hooks.finished.tapPromise("test:stop", async () => controller.abort("SIGTERM"));
      },
    };
    const error = await rejection(deploy(fx.options(createFap([stopper]), fx.config({}, { hosts: ["a"] }), { signal: controller.signal })));
    expect(error.code).toBe("E_INTERRUPTED");
    expect(error.message).toBe("interrupted by SIGTERM after the deploy had finished on every host: the new release is live on every host and the lock was freed");
    expect(error.hint).toBe("nothing was undone and nothing is left to finish");
    expect(error.details).toEqual({ exitCode: 143 });
    const id = fx.releases("a")[0]!;
    expect(fx.current("a")).toBe(id);
    expect(fx.log("a").get(id)?.status).toBe("ok");
  });
});
