import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFap } from "../../src/fap.js";
import { deploy } from "../../src/flows/deploy.js";
import { rollback } from "../../src/flows/rollback.js";
import { createFixture, recordEvents, rejection, type Fixture } from "../_fixture.js";
import { lockThief } from "../_test-plugins.js";

let fx: Fixture;
beforeEach(() => {
  fx = createFixture();
});
afterEach(() => fx.cleanup());

/** Host `a` alone: one host of the run, so nothing else can need putting back after its switch. */
const oneHost = (values: Record<string, unknown> = {}) => fx.config(values, { hosts: ["a"] });
const commandsOf = (events: ReturnType<typeof recordEvents>) => events.flatMap((e) => (e.type === "command" ? [e.event] : []));
const lockGone = (host: string) => !existsSync(join(fx.root(host), ".fap", "lock"));

describe("finishing in the command that switches", () => {
  it("sends the log, prune and unlock with a one-host deploy's switch, and nothing after it", async () => {
    for (let n = 0; n < 3; n++) await deploy(fx.options(createFap(), oneHost({ keep_releases: 2 })));
    const fap = createFap();
    const events = recordEvents(fap);
    const result = await deploy(fx.options(fap, oneHost({ keep_releases: 2 })));
    const id = result.hosts[0]!.release!;
    const commands = commandsOf(events);
    expect(commands.at(-1)).toMatchObject({ phase: "publishing", plugin: "fap:core" });
    expect(commands.at(-1)!.command).toMatch(/&& \{ fap_undo=lock; /);
    expect(events.some((e) => e.type === "output" && e.event.line.startsWith("::fap-undo::"))).toBe(false);
    expect(fx.current("a")).toBe(id);
    expect(fx.releases("a")).toHaveLength(2);
    expect(fx.logLines("a").filter((e) => e.id === id).map((e) => e.status)).toEqual(["pending", "live", "ok"]);
    expect(lockGone("a")).toBe(true);
  });

  it("reports the host's answer: a lock no longer this run's leaves the release live, not ok", async () => {
    const fap = createFap([lockThief()]);
    const events = recordEvents(fap);
    const error = await rejection(deploy(fx.options(fap, oneHost())));
    expect(error.message).toMatch(/the lock was no longer this run's, nothing was done/);
    expect(error.cause).toMatchObject({ code: "E_CLEANUP_FAILED", host: "a" });
    const id = fx.releases("a").at(-1)!;
    // No lock of this run is left there, so nothing asks for `fap unlock`.
    expect(error.hint).toBe(`a: ${id} is live, but the run could not finish there: the lock was no longer this run's, nothing was done`);
    expect(fx.current("a")).toBe(id);
    expect(fx.logLines("a").filter((e) => e.id === id).map((e) => e.status)).toEqual(["pending", "live"]);
    expect(commandsOf(events).filter((c) => /fap_undo=lock/.test(c.command))).toHaveLength(1);
  });

  it("keeps the separate unlock with two hosts, a canary, or a hook after the switch", async () => {
    const unlocks = async (config: ReturnType<typeof oneHost>, extra = {}) => {
      const fap = createFap();
      const events = recordEvents(fap);
      await deploy(fx.options(fap, config, extra));
      return commandsOf(events).filter((c) => /fap_undo=lock/.test(c.command)).map((c) => c.phase ?? "none");
    };
    expect(await unlocks(oneHost())).toEqual(["publishing"]);
    expect(await unlocks(fx.config())).toEqual(["none", "none"]);
    expect(await unlocks(oneHost({ canary: 1 }))).toEqual(["none"]);
    expect(await unlocks(oneHost({ hooks: { finishing: "true" } }))).toEqual(["none"]);
    expect(await unlocks(fx.config({}, { hosts: ["a"], hooks: { checking: "true" } }))).toEqual(["none"]);
  });

  it("counts two roles on one host and path as one host: one switch with the unlock, both targets done", async () => {
    const config = { stage_role_configs: { production: { web: { hosts: ["a"], path: `${fx.tmp}/same` }, worker: { hosts: ["a"], path: `${fx.tmp}/same` } } } };
    const fap = createFap();
    const events = recordEvents(fap);
    const result = await deploy(fx.options(fap, config));
    const unlocks = commandsOf(events).filter((c) => /fap_undo=lock/.test(c.command));
    expect(unlocks.map((c) => [c.role, c.phase])).toEqual([["web", "publishing"]]);
    const results = events.flatMap((e) => (e.type === "host-result" ? [e.event] : []));
    expect(results.map((r) => [r.role, r.ok, r.state])).toEqual([["web", true, "done"], ["worker", true, "done"]]);
    expect(existsSync(join(fx.tmp, "same", ".fap", "lock"))).toBe(false);
    expect(result.hosts.map((h) => h.release)).toEqual([result.hosts[0]!.release, result.hosts[0]!.release]);
  });

  it("removes the release a one-host rollback leaves in the command that switches back", async () => {
    for (let n = 0; n < 2; n++) await deploy(fx.options(createFap(), oneHost()));
    const [older, newer] = fx.releases("a");
    const fap = createFap();
    const events = recordEvents(fap);
    await rollback(fx.options(fap, oneHost()));
    const commands = commandsOf(events);
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatchObject({ phase: "publishing" });
    expect(fx.current("a")).toBe(older);
    expect(fx.releases("a")).toEqual([older]);
    expect(fx.log("a").get(newer!)?.status).toBe("rolled-back");
    expect(lockGone("a")).toBe(true);
  });
});
