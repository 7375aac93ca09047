import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FapConfig } from "../../src/config/types.js";
import { createFap } from "../../src/fap.js";
import { deploy } from "../../src/flows/deploy.js";
import { HOSTS, recordEvents, rejection, useFixture } from "../_fixture.js";
import { failAt } from "../_test-plugins.js";

// Checks the mutation run (npm run test:mutation) found untested in flows/_release-phase.ts:
// release_command (once per stage, on a primary, in the new release, before any switch), its
// failure's message, and a primary that dropped out under --max-failed. Only the end-to-end
// test, which runs the built dist, read them before.

const fx = useFixture();

/** What the release command wrote to `ran` in the fixture's directory, line by line. */
const ran = () => {
  try {
    return readFileSync(join(fx.tmp, "ran"), "utf8").split("\n").filter(Boolean);
  } catch {
    return [];
  }
};
/** A release command that notes where it ran, `$FOO`, and whether `current` existed yet. */
const noting = () => `echo "$PWD $FOO $(test -e ../../current && echo switched || echo unswitched)" >> '${fx.tmp}/ran'`;
const logs = (events: ReturnType<typeof recordEvents>) => events.flatMap((e) => (e.type === "log" ? [`${e.event.host}: ${e.event.message}`] : []));

/** Two roles of one stage on hosts of their own, each with its own release command. */
function twoRoles(web: Record<string, unknown>, worker: Record<string, unknown>): FapConfig {
  return {
    stage_role_configs: {
      production: {
        web: { hosts: ["a"], path: `${fx.tmp}/%(host)s/app`, ...web },
        worker: { hosts: ["b"], path: `${fx.tmp}/%(host)s/app`, ...worker },
      },
    },
  };
}

describe("release_command", () => {
  it("runs once per stage, on the primary, in the new release, with its environment, before any host switches", async () => {
    const fap = createFap();
    const events = recordEvents(fap);
    const result = await deploy(fx.options(fap, fx.config({ release_command: noting(), environment: { FOO: "bar" } })));
    const id = result.hosts[0]!.release!;
    const release = join(fx.root("a"), "releases", id);
    expect(ran()).toEqual([`${release} bar unswitched`]);
    expect(logs(events)).toEqual([`a: release_command (once for production) in ${release}`, "a: release_command exited with 0"]);
    const phases = events.flatMap((e) => (e.type === "phase" && e.event.state === "start" ? [e.event.phase] : []));
    expect(phases.indexOf("releasing")).toBe(phases.indexOf("updated") + 1);
    for (const host of HOSTS) expect(fx.current(host)).toBe(id);
  });

  it("runs without an environment as written, and is no phase when empty", async () => {
    await deploy(fx.options(createFap(), fx.config({ release_command: noting() })));
    expect(ran()).toHaveLength(1);
    expect(ran()[0]).toMatch(/ {2}unswitched$/);
    const fap = createFap();
    const events = recordEvents(fap);
    await deploy(fx.options(fap, fx.config({ release_command: "  " })));
    expect(events.some((e) => e.type === "phase" && e.event.phase === "releasing")).toBe(false);
  });

  it("is run when given as a number (YAML reads a bare number as one)", async () => {
    const error = await rejection(deploy(fx.options(createFap(), fx.config({ release_command: 7 }))));
    expect(error.message).toMatch(/^deploy failed on 1 host: a \(releasing\): \[fap:core\] releasing: release_command exited with 127: .*7.*not found$/);
  });

  it("runs once for two roles of the stage: the first role's primary runs it, the other waits", async () => {
    const fap = createFap();
    await deploy(fx.options(fap, twoRoles({ release_command: `echo web >> '${fx.tmp}/ran'` }, { release_command: `echo worker >> '${fx.tmp}/ran'` })));
    expect(ran()).toEqual(["web"]);
    expect(fx.current("b")).toBeDefined();
  });

  it("fails as the host that ran it: its exit code and last stderr line; nothing is switched and the release goes", async () => {
    const fap = createFap();
    const events = recordEvents(fap);
    const config = twoRoles({ release_command: "echo first >&2; echo 'last words  ' >&2; exit 3" }, { release_command: "true" });
    const error = await rejection(deploy(fx.options(fap, config)));
    expect(error.code).toBe("E_COMMAND_FAILED");
    expect(error.message).toBe("deploy failed on 1 host: a (releasing): [fap:core] releasing: release_command exited with 3: last words");
    expect(error.hint).toBe("release_command runs in the new release on a; fix it and deploy again; no host was switched; the new release was removed from every host");
    expect(error.details?.failures).toEqual([
      { host: "a", stage: "production", role: "web", phase: "releasing", code: "E_COMMAND_FAILED", message: "release_command exited with 3: last words", plugin: "fap:core", hook: "releasing" },
    ]);
    expect(logs(events).filter((line) => line.includes("exited"))).toEqual([]);
    for (const host of HOSTS) {
      expect(fx.current(host)).toBeUndefined();
      expect(fx.releases(host)).toEqual([]);
    }
    const results = events.flatMap((e) => (e.type === "host-result" ? [[e.event.host, e.event.state, e.event.phase]] : []));
    expect(results).toEqual([
      ["a", "not-switched", "releasing"],
      ["b", "not-switched", undefined],
    ]);
  });

  it("says only the exit code when the command printed no error", async () => {
    const error = await rejection(deploy(fx.options(createFap(), fx.config({ release_command: "exit 4" }))));
    expect(error.message).toBe("deploy failed on 1 host: a (releasing): [fap:core] releasing: release_command exited with 4");
  });

  it("quotes at most 500 characters of the last stderr line, and says when a signal ended the command", async () => {
    const prefix = "deploy failed on 1 host: a (releasing): [fap:core] releasing: release_command exited with";
    const long = await rejection(deploy(fx.options(createFap(), fx.config({ release_command: "head -c 600 /dev/zero | tr '\\0' x >&2; exit 2" }))));
    expect(long.message).toBe(`${prefix} 2: ${"x".repeat(500)}`);
    const killed = await rejection(deploy(fx.options(createFap(), fx.config({ release_command: "echo dying >&2; kill -9 $$" }))));
    expect(killed.message).toBe(`${prefix} a signal: dying`);
  });

  it("keeps other errors as they are (a command that times out)", async () => {
    const error = await rejection(deploy(fx.options(createFap(), fx.config({ release_command: "sleep 5", command_timeout: 0.3 }))));
    expect(error.code).toBe("E_COMMAND_TIMEOUT");
    expect(error.message).not.toMatch(/release_command exited/);
  });

  it("fails the phase when the primary that would run it dropped out under --max-failed", async () => {
    const fap = createFap([failAt("updating", "a")]);
    const error = await rejection(deploy(fx.options(fap, fx.config({ release_command: noting() }), { rollout: { maxFailed: 1 } })));
    expect(error.code).toBe("E_DEPLOY_FAILED");
    // The release phase stopped the run (a host dropping out alone would not have): it comes first, with its hint.
    expect(error.message).toBe(
      "deploy failed on 2 hosts: a (releasing): release_command did not run: a, the primary host of production.web, failed before it; a (updating): [test:fail] updating: boom",
    );
    expect(error.hint).toBe("fix a, or mark another host of production.web primary: true; no host was switched; the new release was removed from every host");
    expect((error.details?.failures as Array<{ host: string; phase: string; code: string }>).map((f) => `${f.host} ${f.phase} ${f.code}`)).toEqual([
      "a releasing E_DEPLOY_FAILED",
      "a updating E_PLUGIN",
    ]);
    expect(ran()).toEqual([]);
    for (const host of HOSTS) expect(fx.current(host)).toBeUndefined();
  });

  it("runs on the primary when only another host dropped out", async () => {
    const fap = createFap([failAt("updating", "b")]);
    const error = await rejection(deploy(fx.options(fap, fx.config({ release_command: noting() }), { rollout: { maxFailed: 1 } })));
    expect(ran()).toHaveLength(1);
    expect(error.hint).toBe("the new release is live on the other 1 host(s) (within --max-failed)");
    expect(fx.current("a")).toBeDefined();
    expect(fx.current("b")).toBeUndefined();
  });
});
