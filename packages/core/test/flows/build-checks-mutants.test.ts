import { describe, expect, it } from "vitest";
import type { FapEventMap } from "../../src/events.js";
import { createFap } from "../../src/fap.js";
import { deploy } from "../../src/flows/deploy.js";
import { doctor } from "../../src/flows/doctor.js";
import type { FapPlugin } from "../../src/plugin.js";
import { rejection, useFixture } from "../_fixture.js";

// Checks the mutation run (npm run test:mutation) found untested in flows/_build-stage.ts and
// flows/_plugin-checks.ts: the build stage's phase events when a build fails, and plugin doctor
// checks whose probe throws, whose output is missing, or that throw what is not an Error.

const fx = useFixture();

describe("the build stage", () => {
  it("ends (and times) the phase of a build that throws, and starts nothing after it", async () => {
    const builder: FapPlugin = {
      name: "test:build",
      apply({ hooks }) {
        hooks.building.tapPromise("test:build", async () => {
          await new Promise((resolve) => setTimeout(resolve, 30));
          throw new Error("webpack failed");
        });
      },
    };
    const fap = createFap([builder]);
    const phases: Array<FapEventMap["phase"][0]> = [];
    fap.events.on("phase", (event) => phases.push(event));
    const error = await rejection(deploy(fx.options(fap, fx.config())));
    expect(error.message).toMatch(/webpack failed/);
    expect(phases.map((p) => ({ ...p, durationMs: p.durationMs === undefined ? undefined : p.durationMs >= 25 && p.durationMs < 10_000 }))).toEqual([
      { flow: "deploy", phase: "building", state: "start", hosts: 0, durationMs: undefined },
      { flow: "deploy", phase: "building", state: "end", hosts: 0, durationMs: true },
    ]);
  });
});

describe("a plugin's doctor checks", () => {
  it("report a probe that throws, a thrown non-Error, a missing output, and a hint that is not text", async () => {
    const plugin: FapPlugin = {
      name: "p:odd",
      apply() {},
      doctor: [
        { name: "planning", probe: () => { throw Object.assign(new Error("no package.json"), { hint: 42 }); }, verdict: () => undefined },
        { name: "text", probe: () => "true", verdict: () => { throw "plain text"; } },
        { name: "killer", probe: () => "kill -9 $$", verdict: () => ({ ok: true, message: "never" }) },
        { name: "after", probe: () => "echo after", verdict: () => ({ ok: true, message: "never either" }) },
        { name: "no probe", probe: () => undefined, verdict: (output) => ({ ok: true, message: JSON.stringify(output) }) },
        { name: "nothing", probe: () => { throw undefined; }, verdict: () => undefined },
      ],
    };
    const report = await doctor(fx.options(createFap([plugin]), fx.config({}, { hosts: ["a"] })));
    const checks = report.hosts[0]!.checks.filter((c) => ["planning", "text", "killer", "after", "no probe", "nothing"].includes(c.name));
    const missing = { ok: false, message: "p:odd's probe printed nothing (the host's shell ended it early)", hint: "run fap doctor --debug to see the command" };
    expect(checks).toEqual([
      { name: "planning", ok: false, message: "[p:odd] no package.json", hint: undefined },
      { name: "text", ok: false, message: "[p:odd] plain text", hint: undefined },
      { name: "killer", ...missing },
      { name: "after", ...missing },
      { name: "no probe", ok: true, message: JSON.stringify({ stdout: "", exitCode: 0 }), hint: undefined },
      { name: "nothing", ok: false, message: "[p:odd] undefined", hint: undefined },
    ]);
  });
});
