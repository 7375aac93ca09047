import { describe, expect, it } from "vitest";
import type { FapConfig } from "../../src/config/types.js";
import { createFap } from "../../src/fap.js";
import { localConnector } from "../_local-remote.js";
import { planRun } from "../../src/run/plan.js";
import { connectTarget } from "../../src/run/target-config.js";

// Checks the mutation run (npm run test:mutation) found untested: the address a target is
// connected at when its config leaves the user or port out, or empties one written above it.

function addresses(role: Record<string, unknown>, top: Record<string, unknown> = {}) {
  const config: FapConfig = { ...top, stage_role_configs: { production: { web: { hosts: ["web1"], path: "/srv/app", ...role } } } };
  const plan = planRun({ fap: createFap(), config, selection: { stage: "production" }, connector: localConnector() });
  return plan.targets.map((_, i) => connectTarget(plan, i));
}

describe("connectTarget", () => {
  it("connects with the user and port the config names", () => {
    expect(addresses({ user: "deploy", port: 2222 })).toEqual([{ host: "web1", user: "deploy", port: 2222 }]);
    expect(addresses({ user: 42 })[0]!.user).toBe("42");
  });

  it("leaves the user and port to ~/.ssh/config when the config leaves them out or empties them", () => {
    for (const [role, top] of [
      [{}, {}],
      // A role's `user:` and `port:` with no value (YAML's null), or a user "", unset the top level's.
      [{ user: null, port: null }, { user: "deploy", port: 2222 }],
      [{ user: "" }, { user: "deploy" }],
    ] as const) {
      const [address] = addresses(role, top);
      expect(address, JSON.stringify(role)).toStrictEqual({ host: "web1", user: undefined, port: undefined });
    }
  });

  it("never sees an empty port: the type check refuses it before", () => {
    expect(() => addresses({ port: "" })).toThrow("production.web: 'port' must be a number, got");
  });
});
