import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FapConfig } from "../../src/config/types.js";
import { createFap } from "../../src/fap.js";
import { deploy } from "../../src/flows/deploy.js";
import type { FapPlugin } from "../../src/plugin.js";
import { membersOf } from "../../src/run/host-of-run.js";
import { openSession } from "../../src/run/session.js";
import { recordEvents, rejection, useFixture } from "../_fixture.js";

// Checks the mutation run (npm run test:mutation) found untested: what openSession gives a run
// beyond its contexts.

const fx = useFixture();

describe("openSession: the run", () => {
  it("gets a fresh id of 8 hex digits unless one is given", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) ids.push((await openSession("restart", fx.options(createFap(), fx.config()))).deployId);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}$/);
    expect(ids[0]).not.toBe(ids[1]);
    expect((await openSession("restart", fx.options(createFap(), fx.config(), { deployId: "mine" }))).deployId).toBe("mine");
  });
});

describe("openSession: what it reads and locks", () => {
  const commandsSent = () => [...fx.connector.remotes.values()].flatMap((r) => r.commands);

  it("reads no host for a restart, reads but does not lock for status and under --dry-run", async () => {
    await openSession("restart", fx.options(createFap(), fx.config()));
    expect(commandsSent()).toEqual([]);
    await openSession("status", fx.options(createFap(), fx.config()));
    await openSession("deploy", fx.options(createFap(), fx.config(), { dryRun: true }));
    expect(commandsSent()).toHaveLength(4);
    for (const host of ["a", "b"]) expect(existsSync(join(fx.root(host), ".fap/lock"))).toBe(false);
  });

  it("fails at once on a host another run has locked, unless told to wait", async () => {
    mkdirSync(join(fx.root("a"), ".fap/lock"), { recursive: true });
    const info = { deploy: "other", flow: "deploy", user: "ann", machine: "m", pid: 1, time: "2024-01-01T00:00:00.000Z", expires: "2999-01-01T00:00:00.000Z" };
    writeFileSync(join(fx.root("a"), ".fap/lock/info"), JSON.stringify(info));
    const fap = createFap();
    const events = recordEvents(fap);
    const error = await rejection(openSession("deploy", fx.options(fap, fx.config())));
    expect([error.code, error.message]).toEqual(["E_LOCKED", "locked by ann@m (deploy other, pid 1) since 2024-01-01T00:00:00.000Z"]);
    expect(events.filter((e) => e.type === "log")).toEqual([]);
  });

  it("refuses a bad release_id_format before taking any lock", async () => {
    const error = await rejection(openSession("deploy", fx.options(createFap(), fx.config({ release_id_format: "%Y/%m" }))));
    expect(error.message).toMatch(/^release_id_format gives '\d{4}\/\d{2}', which is not a valid directory name$/);
    expect(commandsSent()).toEqual([]);
  });

  it("reads release_id_format only for a deploy", async () => {
    const session = await openSession("restart", fx.options(createFap(), fx.config({ release_id_format: "%Y/%m" })));
    expect(session.contexts).toHaveLength(2);
  });

  it("names a release by the clock when the caller gives none", async () => {
    const options = fx.options(createFap(), fx.config());
    delete options.now;
    const before = new Date();
    const session = await openSession("deploy", options);
    const id = session.contexts[0]!.release.id!;
    const day = (d: Date) => d.toISOString().slice(2, 10).replaceAll("-", "");
    expect(id).toMatch(/^\d{6}-\d{6}$/);
    expect([day(before), day(new Date())]).toContain(id.slice(0, 6));
  });

  it("takes no id the release log names, though its directory was pruned", async () => {
    mkdirSync(join(fx.root("a"), ".fap"), { recursive: true });
    const line = { id: "240102-030406", status: "ok", time: "2024-01-02T03:04:06.000Z", user: "ann", deploy: "d" };
    writeFileSync(join(fx.root("a"), ".fap/releases.log"), `${JSON.stringify(line)}\n`);
    const session = await openSession("deploy", fx.options(createFap(), fx.config()));
    expect(session.contexts.map((c) => c.release.id)).toEqual(["240102-030406-2", "240102-030406-2"]);
  });

  it("refuses two stages on one path for mark-bad, as for a deploy; a restart lets them be", async () => {
    const config: FapConfig = {
      path: `${fx.tmp}/%(host)s/app`,
      stage_role_configs: { production: { web: { hosts: ["a"] } }, staging: { web: { hosts: ["a"] } } },
    };
    for (const flow of ["mark-bad", "rollback"] as const) {
      const error = await rejection(openSession(flow, fx.options(createFap(), config, { selection: { role: "web" } })));
      expect(error.message, flow).toBe(`production.web and staging.web both deploy to ${fx.root("a")} on a`);
    }
    expect((await openSession("restart", fx.options(createFap(), config, { selection: { role: "web" } }))).contexts).toHaveLength(2);
  });
});

describe("openSession: the contexts", () => {
  it("gives roles on one host and path one host of the run, with one queue of deferred commands", async () => {
    const config: FapConfig = {
      path: `${fx.tmp}/%(host)s/app`,
      stage_role_configs: { production: { web: { hosts: ["a"] }, worker: { hosts: ["a"] } } },
    };
    const [web, worker] = (await openSession("deploy", fx.options(createFap(), config))).contexts;
    expect(membersOf(worker!)).toEqual([web, worker]);
    expect([web!.release.id, worker!.release.id]).toEqual(["240102-030406", "240102-030406"]);
    await web!.run(`touch '${fx.tmp}/deferred'`, { defer: true });
    await worker!.run("true");
    expect(existsSync(join(fx.tmp, "deferred"))).toBe(true);
  });

  it("gives a rollback the release it goes to, others none, and each the current one as previous", async () => {
    await deploy(fx.options(createFap(), fx.config()));
    await deploy(fx.options(createFap(), fx.config()));
    await deploy(fx.options(createFap(), fx.config({}, { hosts: ["a"] })));
    const [first, second, third] = fx.releases("a");
    // Hosts on different releases: refused unless --align.
    expect((await rejection(openSession("rollback", fx.options(createFap(), fx.config())))).code).toBe("E_ROLLBACK_DIVERGED");
    const rollback = await openSession("rollback", fx.options(createFap(), fx.config(), { alignRollback: true }));
    expect(rollback.contexts.map((c) => [c.release.id, c.release.previousId, c.paths.release])).toEqual([
      [first, third, `${fx.root("a")}/releases/${first}`],
      [first, second, `${fx.root("b")}/releases/${first}`],
    ]);
    const status = await openSession("status", fx.options(createFap(), fx.config()));
    expect(status.contexts.map((c) => [c.release.id, c.release.previousId, c.paths.release, c.config.previous_release])).toEqual([
      [undefined, third, undefined, third],
      [undefined, second, undefined, second],
    ]);
    expect(status.contexts.map((c) => c.dryRun)).toEqual([false, false]);
  });

  it("redacts the caller's secrets and the values of keys declared secret", async () => {
    const plugin: FapPlugin = { name: "vault", config: { vault_token: { type: "string", secret: true, description: "a token" } }, apply() {} };
    const fap = createFap([plugin]);
    const events = recordEvents(fap);
    const session = await openSession("restart", fx.options(fap, fx.config({ vault_token: "tok-12345" }), { secrets: ["hunter22"] }));
    await session.contexts[0]!.run("echo tok-12345 hunter22");
    const shown = JSON.stringify(events.filter((e) => e.type === "command" || e.type === "output"));
    expect(shown).toContain("echo *** ***");
    expect(shown).not.toMatch(/tok-12345|hunter22/);
  });

  it("redacts no value of a key not declared secret, nor an unset secret key", async () => {
    const plugin: FapPlugin = { name: "vault", config: { vault_token: { type: "string", secret: true, description: "a token" } }, apply() {} };
    const fap = createFap([plugin]);
    const events = recordEvents(fap);
    const session = await openSession("restart", fx.options(fap, fx.config({ branch: "release-train" })));
    await session.contexts[0]!.run("echo release-train undefined");
    const output = events.flatMap((e) => (e.type === "output" ? [e.event.line] : []));
    expect(output).toEqual(["release-train undefined"]);
  });

  it("connects to as many hosts at once as asked, at least one", async () => {
    const connect = fx.connector.connect.bind(fx.connector);
    let open = 0;
    let most = 0;
    fx.connector.connect = async (address) => {
      most = Math.max(most, ++open);
      await new Promise((resolve) => setTimeout(resolve, 20));
      open--;
      return connect(address);
    };
    await openSession("restart", fx.options(createFap(), fx.config()));
    expect(most).toBe(2);
    most = 0;
    await openSession("restart", fx.options(createFap(), fx.config(), { parallel: 0 }));
    expect(most).toBe(1);
  });
});
