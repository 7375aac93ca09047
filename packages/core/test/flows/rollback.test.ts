import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FapError } from "../../src/errors.js";
import { createFap } from "../../src/fap.js";
import { deploy } from "../../src/flows/deploy.js";
import { rollback } from "../../src/flows/rollback.js";
import type { FapPlugin } from "../../src/plugin.js";
import { createFixture, HOSTS, recordEvents, rejection, type Fixture } from "../_fixture.js";

let fx: Fixture;
beforeEach(() => {
  fx = createFixture();
});
afterEach(() => fx.cleanup());

async function deployTimes(n: number, config = fx.config()): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await deploy(fx.options(createFap(), config))).hosts[0]!.release!);
  return ids;
}

describe("rollback", () => {
  it("goes back to the previous release, removes the newer one and marks it rolled back", async () => {
    const [older, newer] = await deployTimes(2);
    const fap = createFap();
    const events = recordEvents(fap);

    const result = await rollback(fx.options(fap, fx.config()));

    expect(result.hosts.map((h) => [h.host, h.release])).toEqual([
      ["a", older],
      ["b", older],
    ]);
    for (const host of HOSTS) {
      expect(fx.current(host)).toBe(older);
      expect(fx.releases(host)).toEqual([older]);
      expect(fx.log(host).get(newer!)?.status).toBe("rolled-back");
      expect(fx.log(host).get(older!)?.status).toBe("ok");
    }
    const phases = events.flatMap((e) => (e.type === "phase" && e.event.state === "end" ? [e.event.phase] : []));
    expect(phases).toEqual(["starting", "started", "reverting", "reverted", "publishing", "published", "finishingRollback", "finished"]);
    expect(events.some((e) => e.type === "log" && e.event.message === `rolling back ${newer} → ${older}`)).toBe(true);
  });

  it("never goes back to a rolled-back release, and a new deploy does not count it", async () => {
    const [first, second] = await deployTimes(3);
    await rollback(fx.options(createFap(), fx.config()));
    await rollback(fx.options(createFap(), fx.config()));
    for (const host of HOSTS) expect(fx.current(host)).toBe(first);
    const error = await rejection(rollback(fx.options(createFap(), fx.config())));
    expect(error.code).toBe("E_NO_PREVIOUS_RELEASE");
    const [next] = await deployTimes(1);
    for (const host of HOSTS) {
      expect(fx.releases(host)).toEqual([first, next]);
      expect(fx.log(host).get(second!)?.status).toBe("rolled-back");
    }
  });

  it("skips a failed release", async () => {
    const [older, newer] = await deployTimes(2);
    for (const host of HOSTS) {
      // Between the two, a release that failed and whose directory stayed.
      mkdirSync(join(fx.root(host), "releases", `${older}-2`));
      writeFileSync(join(fx.root(host), ".fap", "releases.log"), JSON.stringify({ id: `${older}-2`, status: "failed", time: "t", user: "u", deploy: "d" }) + "\n", { flag: "a" });
    }
    await rollback(fx.options(createFap(), fx.config()));
    for (const host of HOSTS) {
      expect(fx.current(host)).toBe(older);
      expect(fx.releases(host)).toEqual([older, `${older}-2`]);
      expect(fx.log(host).get(newer!)?.status).toBe("rolled-back");
    }
  });

  it("changes nothing when there is no earlier release", async () => {
    const [only] = await deployTimes(1);
    const logBefore = HOSTS.map((h) => readFileSync(join(fx.root(h), ".fap", "releases.log"), "utf8"));

    const error = await rejection(rollback(fx.options(createFap(), fx.config())));

    expect(error).toBeInstanceOf(FapError);
    expect(error.code).toBe("E_NO_PREVIOUS_RELEASE");
    expect(error.message).toMatch(/^rollback failed on 2 hosts: a.* b.*\(reverting\): \[fap:core\] reverting: /);
    expect(error.message).toContain(`no earlier release to roll back to from ${only}`);
    expect(error.hint).toBe("deploy the version you want instead; nothing was changed");
    HOSTS.forEach((host, i) => {
      expect(fx.current(host)).toBe(only);
      expect(fx.releases(host)).toEqual([only]);
      expect(readFileSync(join(fx.root(host), ".fap", "releases.log"), "utf8")).toBe(logBefore[i]);
    });
  });

  it("changes nothing anywhere when one host has no earlier release", async () => {
    const [older, newer] = await deployTimes(2);
    // Host b lost its older release.
    await deployTimes(0);
    const { rmSync } = await import("node:fs");
    rmSync(join(fx.root("b"), "releases", older!), { recursive: true });

    const error = await rejection(rollback(fx.options(createFap(), fx.config())));
    expect(error.code).toBe("E_NO_PREVIOUS_RELEASE");
    expect(error.message).toContain("b (reverting)");
    for (const host of HOSTS) expect(fx.current(host)).toBe(newer);
    expect(fx.releases("a")).toEqual([older, newer]);
  });

  it("says nothing is deployed on a fresh host", async () => {
    const error = await rejection(rollback(fx.options(createFap(), fx.config({}, { hosts: ["a"] }))));
    expect(error.code).toBe("E_NO_CURRENT_RELEASE");
    expect(error.message).toBe(`rollback failed on 1 host: a (reverting): [fap:core] reverting: nothing is deployed at ${fx.root("a")}`);
  });

  it("puts every host back when publishing the rollback fails", async () => {
    const [older, newer] = await deployTimes(2);
    const failB: FapPlugin = {
      name: "test:fail",
      apply({ hooks }) {
        hooks.published.tapPromise("test:fail", async (ctx) => {
          if (ctx.host === "b") throw new Error("health check failed");
        });
      },
    };
    const error = await rejection(rollback(fx.options(createFap([failB]), fx.config())));
    expect(error.hint).toBe("every host was switched back to the release it had before");
    for (const host of HOSTS) {
      expect(fx.current(host)).toBe(newer);
      expect(fx.releases(host)).toEqual([older, newer]);
      expect(fx.log(host).get(newer!)?.status).toBe("ok");
    }
    // The restored release can be rolled back from again.
    await rollback(fx.options(createFap(), fx.config()));
    for (const host of HOSTS) expect(fx.current(host)).toBe(older);
  });

  it("runs config hooks of rollback in the release rolled back to", async () => {
    const [older] = await deployTimes(2);
    await rollback(fx.options(createFap(), fx.config({ hooks: { reverted: "echo back > marker" } })));
    for (const host of HOSTS) {
      expect(readFileSync(join(fx.root(host), "releases", older!, "marker"), "utf8")).toBe("back\n");
    }
  });
});
