import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FapError } from "../../src/errors.js";
import { createFap } from "../../src/fap.js";
import { deploy } from "../../src/flows/deploy.js";
import { restart } from "../../src/flows/restart.js";
import { openSession } from "../../src/run/session.js";
import { HOSTS, recordEvents, rejection, useFixture } from "../_fixture.js";

const fx = useFixture();

describe("openSession", () => {
  it("resolves each host's config, with runtime values and the command line on top", async () => {
    const config = fx.config(
      { app_name: "shop", note: "%(stage)s/%(role)s/%(host)s/%(release)s after %(previous_release)s as %(user)s", branch: "main" },
      { branch: "role-branch" },
    );
    const session = await openSession("deploy", fx.options(createFap(), config, { cliValues: { branch: "cli-branch" } }));
    expect(session.contexts.map((c) => [c.host, c.stage, c.role, c.release.id, c.release.previousId])).toEqual([
      ["a", "production", "web", "240102-030406", undefined],
      ["b", "production", "web", "240102-030406", undefined],
    ]);
    const [a] = session.contexts;
    expect(a?.config).toMatchObject({
      path: fx.root("a"),
      releases_path: `${fx.root("a")}/releases`,
      release_path: `${fx.root("a")}/releases/240102-030406`,
      branch: "cli-branch",
      note: "production/web/a/240102-030406 after  as tester",
    });
    expect(a?.paths).toEqual({
      root: fx.root("a"),
      releases: `${fx.root("a")}/releases`,
      current: `${fx.root("a")}/current`,
      shared: `${fx.root("a")}/shared`,
      meta: `${fx.root("a")}/.fap`,
      release: `${fx.root("a")}/releases/240102-030406`,
    });
    expect(session.parallel).toBe(10);
    expect(fx.connector.connected.map((c) => c.host)).toEqual(["a", "b"]);
  });

  it("gives one release id to every host, free on all of them", async () => {
    const first = await deploy(fx.options(createFap(), fx.config({}, { hosts: ["a"] }), { now: () => new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) }));
    expect(first.hosts[0]?.release).toBe("240102-030405");
    const session = await openSession("deploy", fx.options(createFap(), fx.config(), { now: () => new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) }));
    expect(session.contexts.map((c) => [c.host, c.release.id, c.release.previousId])).toEqual([
      ["a", "240102-030405-2", "240102-030405"],
      ["b", "240102-030405-2", undefined],
    ]);
  });

  it("takes the lock in the command that reads the host, on the first host before any other", async () => {
    const session = await openSession("deploy", fx.options(createFap(), fx.config()));
    const [a, b] = HOSTS.map((host) => fx.connector.remotes.get(host)!.commands);
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    expect(a![0]).toContain("mkdir -p");
    for (const ctx of session.contexts) {
      expect(JSON.parse(readFileSync(join(fx.root(ctx.host), ".fap/lock/info"), "utf8"))).toMatchObject({ deploy: session.deployId, flow: "deploy" });
      // What the lock had to create, deepest first, for the unlock to remove if the run fails early.
      expect(ctx.before.made).toEqual([join(fx.root(ctx.host), ".fap"), fx.root(ctx.host), join(fx.tmp, ctx.host)]);
    }
  });

  it("touches no other host when the first one is locked by another run", async () => {
    mkdirSync(join(fx.root("a"), ".fap/lock"), { recursive: true });
    writeFileSync(join(fx.root("a"), ".fap/lock/info"), JSON.stringify({ deploy: "other", flow: "deploy", user: "ann", machine: "m", pid: 1, time: "2024-01-01T00:00:00.000Z", expires: "2999-01-01T00:00:00.000Z" }));
    const error = await rejection(openSession("deploy", fx.options(createFap(), fx.config())));
    expect(error.message).toMatch(/^locked by ann@m \(deploy other, pid 1\)/);
    expect(fx.connector.remotes.get("b")?.commands ?? []).toEqual([]);
    expect(existsSync(fx.root("b"))).toBe(false);
  });

  it("frees the locks it took, and the directories it made, when a later host is locked", async () => {
    mkdirSync(join(fx.root("b"), ".fap/lock"), { recursive: true });
    writeFileSync(join(fx.root("b"), ".fap/lock/info"), JSON.stringify({ deploy: "other", flow: "deploy", user: "ann", machine: "m", pid: 1, time: "2024-01-01T00:00:00.000Z", expires: "2999-01-01T00:00:00.000Z" }));
    const error = await rejection(openSession("deploy", fx.options(createFap(), fx.config())));
    expect(error.message).toMatch(/^locked by ann@m/);
    expect(existsSync(join(fx.tmp, "a"))).toBe(false);
    expect(existsSync(join(fx.root("b"), ".fap/lock/info"))).toBe(true);
  });

  it("does not wait for a first host that cannot be reached, and locks no other", async () => {
    const connect = fx.connector.connect.bind(fx.connector);
    fx.connector.connect = async (address) => {
      if (address.host === "a") throw new FapError("E_SSH_CONNECT", "a: connection refused");
      return connect(address);
    };
    const error = await rejection(openSession("deploy", fx.options(createFap(), fx.config())));
    expect(error.message).toBe("a: connection refused");
    expect(existsSync(fx.root("b"))).toBe(false);
  });

  it("takes no lock after Ctrl-C", async () => {
    const controller = new AbortController();
    controller.abort("SIGINT");
    const error = await rejection(openSession("deploy", fx.options(createFap(), fx.config(), { signal: controller.signal })));
    expect(error.message).toBe("interrupted by SIGINT");
    for (const host of HOSTS) expect(existsSync(fx.root(host))).toBe(false);
  });

  it("under dryRun reads each host but hands the run a remote that executes nothing", async () => {
    const session = await openSession("deploy", fx.options(createFap(), fx.config({ user: "deploy", port: 2222 }), { dryRun: true }));
    expect(fx.connector.connected.map((a) => a.host)).toEqual(["a", "b"]);
    expect(session.contexts.map((c) => [c.remote.host, c.remote.resolved, c.dryRun])).toEqual([
      ["a", { hostname: "a", port: 2222, user: "deploy" }, true],
      ["b", { hostname: "b", port: 2222, user: "deploy" }, true],
    ]);
    await session.contexts[0]!.run(`mkdir -p '${fx.tmp}/a/made'`);
    expect(existsSync(join(fx.tmp, "a", "made"))).toBe(false);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ["path /", { path: "/" }, /^production\.web: path must not be \/$/],
    ["a relative path", { path: "www/app" }, /^production\.web: path must be absolute, got 'www\/app'$/],
    ["a linked file inside a linked dir", { linked_dirs: ["config"], linked_files: ["config/app.env"] }, /^linked path 'config\/app\.env' is inside linked dir 'config'$/],
    ["a linked dir inside a linked dir", { linked_dirs: ["var", "var/log"] }, /^linked path 'var\/log' is inside linked dir 'var'$/],
  ])("refuses %s before running any command on a host", async (_name, role, message) => {
    const error = await rejection(openSession("deploy", fx.options(createFap(), fx.config({}, role))));
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toMatch(message);
    expect([...fx.connector.remotes.values()].flatMap((r) => r.commands)).toEqual([]);
  });

  it("tags commands with the phase they ran in, and adds no phase listener however many runs", async () => {
    await deploy(fx.options(createFap(), fx.config({ hooks: { restarting: "true", restarted: "true" } })));
    const fap = createFap();
    const events = recordEvents(fap);
    for (let i = 0; i < 12; i++) await restart(fx.options(fap, fx.config({ hooks: { restarting: "true", restarted: "true" } })));
    expect(fap.events.listenerCount("phase")).toBe(1); // recordEvents': the phase is each host's run state
    const phases = events.flatMap((e) => (e.type === "command" ? [e.event.phase] : []));
    expect(phases).toHaveLength(48);
    expect(new Set(phases)).toEqual(new Set(["restarting", "restarted"]));
  });
});
