import { describe, expect, it } from "vitest";
import type { FapConfig } from "../../src/config/types.js";
import { createFap } from "../../src/fap.js";
import { planRun } from "../../src/run/plan.js";
import type { SessionOptions } from "../../src/run/session-types.js";
import { localConnector } from "../_local-remote.js";
import { thrown } from "../../../../test/thrown.js";

// Checks the mutation run (npm run test:mutation) found untested: what planRun checks before
// connecting, and how many hosts a run works on at once.

function plan(role: Record<string, unknown> = {}, extra: Partial<SessionOptions> = {}, top: Record<string, unknown> = {}) {
  const config: FapConfig = { ...top, stage_role_configs: { production: { web: { hosts: ["a", "b"], path: "/srv/app", ...role } } } };
  return planRun({ fap: createFap(), config, selection: { stage: "production" }, connector: localConnector(), ...extra });
}

describe("planRun", () => {
  it("puts the command line on top of every target's layers, named as such", () => {
    const planned = plan({ branch: "role" }, { cliValues: { branch: "cli" } });
    expect(planned.cliLayer).toEqual({ name: "cli", label: "command line", values: { branch: "cli" } });
    expect(planned.merged.map((m) => [m.values.branch, m.sources.branch])).toEqual([
      ["cli", "command line"],
      ["cli", "command line"],
    ]);
    expect(plan().cliLayer.values).toEqual({});
    expect(thrown(() => plan({}, { cliValues: { keep_releases: "x" } })).message).toMatch(/^command line: 'keep_releases' must be/);
  });

  it("refuses a mistake in a role's hooks before connecting", () => {
    const error = thrown(() => plan({ hooks: { updated: "db:migrate" } }));
    expect([error.code, error.message]).toEqual(["E_CONFIG", "hooks.updated: unknown task 'db:migrate'"]);
  });

  it("works on 10 hosts at once unless the config or the caller says otherwise", () => {
    expect(plan().parallel).toBe(10);
    expect(plan({}, {}, { parallel: 3 }).parallel).toBe(3);
    expect(plan({}, { parallel: 1 }, { parallel: 3 }).parallel).toBe(1);
  });
});
