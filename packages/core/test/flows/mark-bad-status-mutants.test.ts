import { appendFileSync, existsSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FapConfig } from "../../src/config/types.js";
import { FapError } from "../../src/errors.js";
import { createFap } from "../../src/fap.js";
import { deploy } from "../../src/flows/deploy.js";
import { markBad } from "../../src/flows/mark-bad.js";
import { status } from "../../src/flows/status.js";
import type { FapPlugin } from "../../src/plugin.js";
import { HOSTS, rejection, useFixture } from "../_fixture.js";
import { wrapConnector } from "../_wrap-connector.js";

// Checks the mutation run (npm run test:mutation) found untested in flows/mark-bad.ts and
// flows/status.ts (`fap releases --mark-bad`, `fap status`): only the CLI's end-to-end tests,
// which run the built dist, read them before.

const fx = useFixture();

async function twoReleases(config: FapConfig = fx.config()): Promise<[string, string]> {
  const first = (await deploy(fx.options(createFap(), config))).hosts[0]!.release!;
  const second = (await deploy(fx.options(createFap(), config))).hosts[0]!.release!;
  return [first, second];
}

const lockGone = (host: string) => !existsSync(join(fx.root(host), ".fap", "lock"));

describe("markBad", () => {
  it("marks the release bad on every host that holds it, under the lock, and frees the lock", async () => {
    const [older, newest] = await twoReleases();
    const options = fx.options(createFap(), fx.config(), { deployId: "mark-1" });
    expect(await markBad(options, older)).toEqual({ marked: ["a", "b"], live: [], absent: [] });
    for (const host of HOSTS) {
      expect(fx.log(host).get(older)).toMatchObject({ status: "bad", deploy: "mark-1", user: expect.any(String) });
      expect(new Date(fx.log(host).get(older)!.time).getTime()).toBeGreaterThan(Date.now() - 60_000);
      expect(fx.log(host).get(newest)?.status).toBe("ok");
      expect(lockGone(host)).toBe(true);
      expect(fx.current(host)).toBe(newest);
    }
  });

  it("says where the release is live, and where it is absent (nothing written there)", async () => {
    const [older, newest] = await twoReleases();
    rmSync(join(fx.root("b"), "releases", newest), { recursive: true });
    expect(await markBad(fx.options(createFap(), fx.config()), newest)).toEqual({ marked: ["a"], live: ["a"], absent: ["b"] });
    expect(fx.log("a").get(newest)?.status).toBe("bad");
    expect(fx.log("b").get(newest)?.status).toBe("ok");
    expect(fx.log("b").get(older)?.status).toBe("ok");
  });

  it("names one host once when two of its roles hold the release", async () => {
    const config: FapConfig = {
      stage_role_configs: { production: { web: { hosts: ["a"], path: `${fx.tmp}/a/app` }, worker: { hosts: ["a"], path: `${fx.tmp}/a/app` } } },
    };
    const [older] = await twoReleases(config);
    expect(await markBad(fx.options(createFap(), config), older)).toEqual({ marked: ["a"], live: [], absent: [] });
  });

  it("refuses a release no selected host holds, listing what each holds", async () => {
    const [older, newest] = await twoReleases();
    rmSync(join(fx.root("b"), "releases"), { recursive: true });
    const error = await rejection(markBad(fx.options(createFap(), fx.config()), "240101-000000"));
    expect(error).toBeInstanceOf(FapError);
    expect(error.code).toBe("E_RELEASE_NOT_FOUND");
    expect(error.message).toBe(`no selected host holds release 240101-000000 (a: ${older}, ${newest}; b: no release)`);
    expect(error.hint).toBe("fap releases -s STAGE lists the release ids each host holds");
    for (const host of HOSTS) expect(lockGone(host)).toBe(true);
  });

  it("fails naming each host it could not mark, and why", async () => {
    const [older] = await twoReleases();
    // b answers the read (which takes the lock) but loses the connection for the mark.
    const connector = wrapConnector(fx.connector, (remote) => ({
      exec: (command, options) =>
        remote.host === "b" && command.includes("fap_undo=")
          ? Promise.reject(new FapError("E_CONNECTION_LOST", "connection lost", { host: "b" }))
          : remote.exec(command, options),
    }));
    const error = await rejection(markBad(fx.options(createFap(), fx.config(), { connector }), older));
    expect(error.code).toBe("E_COMMAND_FAILED");
    expect(error.message).toBe(`could not mark ${older} bad on every host (b: unreachable)`);
    expect(error.hint).toBe("run it again once every host can be reached; a host where the lock was left needs fap unlock -s STAGE");
    expect(fx.log("a").get(older)?.status).toBe("bad");
  });
});

describe("status", () => {
  const recorder: FapPlugin = {
    name: "test:revision",
    apply({ hooks }) {
      hooks.updating.tapPromise("test:revision", async (ctx) => ctx.record({ revision: `rev-${ctx.host}` }));
    },
  };

  it("gives what each host runs, with the revision recorded for its current release", async () => {
    const id = (await deploy(fx.options(createFap([recorder]), fx.config()))).hosts[0]!.release!;
    const report = await status(fx.options(createFap(), fx.config()));
    expect(report.hosts.map((h) => [h.host, h.stage, h.role, h.state.current, h.revision])).toEqual([
      ["a", "production", "web", id, "rev-a"],
      ["b", "production", "web", id, "rev-b"],
    ]);
    expect(report.drift).toEqual([]);
    for (const host of HOSTS) expect(lockGone(host)).toBe(true);
  });

  it("gives no revision for a host with nothing deployed, or one that is not text", async () => {
    const id = (await deploy(fx.options(createFap(), fx.config({}, { hosts: ["a"] })))).hosts[0]!.release!;
    appendFileSync(join(fx.root("a"), ".fap", "releases.log"), JSON.stringify({ id, status: "ok", time: "t", user: "u", deploy: "d", revision: 5 }) + "\n");
    const report = await status(fx.options(createFap(), fx.config()));
    expect(report.hosts.map((h) => [h.host, h.state.current, h.revision])).toEqual([
      ["a", id, undefined],
      ["b", undefined, undefined],
    ]);
    // Two hosts, each on its own: the first one's is taken as the common one.
    expect(report.drift).toEqual(["b"]);
  });

  it("flags the hosts of a stage.role whose current differs from the most common one", async () => {
    const three = (hosts: string[]) => fx.config({}, { hosts });
    const old = (await deploy(fx.options(createFap(), three(["c"])))).hosts[0]!.release!;
    await deploy(fx.options(createFap(), three(["a", "b", "c"])));
    // c back on its first release by hand: one against two.
    rmSync(join(fx.root("c"), "current"));
    symlinkSync(`releases/${old}`, join(fx.root("c"), "current"));
    const report = await status(fx.options(createFap(), three(["c", "a", "b"])));
    expect(report.drift).toEqual(["c"]);
    // Each stage.role counts on its own: one host alone never drifts.
    const split: FapConfig = {
      stage_role_configs: { production: { web: { hosts: ["a", "b"], path: `${fx.tmp}/%(host)s/app` }, worker: { hosts: ["c"], path: `${fx.tmp}/%(host)s/app` } } },
    };
    expect((await status(fx.options(createFap(), split))).drift).toEqual([]);
  });
});
