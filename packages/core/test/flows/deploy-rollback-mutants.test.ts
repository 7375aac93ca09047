import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createFap } from "../../src/fap.js";
import { deploy } from "../../src/flows/deploy.js";
import { rollback } from "../../src/flows/rollback.js";
import type { FapPlugin } from "../../src/plugin.js";
import { recordEvents, rejection, useFixture } from "../_fixture.js";
import { failAt } from "../_test-plugins.js";

// Checks the mutation run (npm run test:mutation) found untested in flows/deploy.ts and
// flows/rollback.ts: the build stage's dry-run flag, a run that finishes with its switch runs
// each later hook once, finishing steps that fail (nothing is marked ok, nothing removed), and
// what a failed rollback leaves.

const fx = useFixture();

describe("deploy", () => {
  it("tells the build stage whether the run is a dry run", async () => {
    const seen: boolean[] = [];
    const tap: FapPlugin = { name: "test:build", apply: ({ hooks }) => hooks.building.tapPromise("test:build", async (run) => void seen.push(run.dryRun)) };
    await deploy(fx.options(createFap([tap]), fx.config()));
    await deploy(fx.options(createFap([tap]), fx.config(), { dryRun: true }));
    expect(seen).toEqual([false, true]);
  });

  it("runs each hook after the switch once when it finishes with the switch", async () => {
    const fap = createFap();
    const events = recordEvents(fap);
    await deploy(fx.options(fap, fx.config({}, { hosts: ["a"] })));
    const phases = events.flatMap((e) => (e.type === "phase" && e.event.state === "start" ? [e.event.phase] : []));
    expect(phases).toEqual(["building", "built", "starting", "started", "updating", "updated", "publishing", "published", "checking", "finishing", "finished"]);
  });

  it("marks no release ok when its finishing steps failed", async () => {
    await rejection(deploy(fx.options(createFap([failAt("finishing", "b")]), fx.config())));
    for (const host of ["a", "b"]) expect(fx.log(host).get("240102-030406")?.status).toBe("live");
  });
});

describe("rollback", () => {
  async function twoReleases(): Promise<[string, string]> {
    const first = (await deploy(fx.options(createFap(), fx.config()))).hosts[0]!.release!;
    return [first, (await deploy(fx.options(createFap(), fx.config()))).hosts[0]!.release!];
  }

  it("whose finishing steps fail stays live, keeps the release it left, and says so", async () => {
    const [first, second] = await twoReleases();
    const fap = createFap([failAt("finished", "b")]);
    const events = recordEvents(fap);
    const error = await rejection(rollback(fx.options(fap, fx.config())));
    expect(error.hint).toBe("the rollback is live; only finishing steps failed");
    expect(events.flatMap((e) => (e.type === "host-result" ? [`${e.event.host} ${e.event.state}`] : []))).toEqual(["a live", "b live"]);
    for (const host of ["a", "b"]) {
      expect(fx.current(host)).toBe(first);
      expect(fx.releases(host)).toEqual([first, second]);
    }
  });

  it("that fails before publishing says no host was switched", async () => {
    await twoReleases();
    const fap = createFap([failAt("started", "b")]);
    const events = recordEvents(fap);
    await rejection(rollback(fx.options(fap, fx.config())));
    expect(events.flatMap((e) => (e.type === "host-result" ? [`${e.event.host} ${e.event.state} ${e.event.note}`] : []))).toEqual([
      "a not-switched not switched",
      "b not-switched not switched",
    ]);
  });

  it("on a fresh host leaves none of the directories its lock made", async () => {
    await rejection(rollback(fx.options(createFap(), fx.config({}, { hosts: ["a"] }))));
    expect(existsSync(fx.root("a"))).toBe(false);
  });

  it("interrupted in its last phase says what every host runs", async () => {
    await twoReleases();
    const controller = new AbortController();
    const stopper: FapPlugin = { name: "test:stop", apply: ({ hooks }) => hooks.finished.tapPromise("test:stop", async () => controller.abort("SIGINT")) };
    const error = await rejection(rollback(fx.options(createFap([stopper]), fx.config({}, { hosts: ["a"] }), { signal: controller.signal })));
    expect(error.message).toBe("interrupted by SIGINT after the rollback had finished on every host: every host runs the release it was rolled back to and the lock was freed");
  });
});
