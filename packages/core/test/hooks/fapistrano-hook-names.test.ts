import { describe, expect, it } from "vitest";
import { checkHookNames } from "../../src/hooks/config-hooks-plugin.js";
import { FapError } from "../../src/errors.js";
import { FAPISTRANO_HOOK_NAMES } from "../../src/hooks/fapistrano-hook-names.js";
import { createHooks } from "../../src/hooks/hooks.js";

function refusal(hooks: Record<string, unknown>): FapError {
  try {
    checkHookNames(hooks);
  } catch (error) {
    if (error instanceof FapError) return error;
    throw error;
  }
  throw new Error("checkHookNames accepted it");
}

describe("Fapistrano's signal names in hooks", () => {
  // Fapistrano's flows emitted these signals (its docs/signals.rst), all under `deploy.`.
  const signals = [
    "deploy.starting", "deploy.started", "deploy.updating", "deploy.updated", "deploy.publishing",
    "deploy.published", "deploy.finishing", "deploy.finished", "deploy.reverting", "deploy.reverted",
    "deploy.finishing_rollback", "deploy.restarting", "deploy.restarted",
  ];

  it("accepts every one of them", () => {
    for (const name of signals) expect(() => checkHookNames({ [name]: "true" }), name).not.toThrow();
  });

  it("maps each to a host hook of fap, and no two to the same", () => {
    const hooks = Object.keys(createHooks());
    expect(Object.keys(FAPISTRANO_HOOK_NAMES).sort()).toEqual([...signals].sort());
    for (const target of Object.values(FAPISTRANO_HOOK_NAMES)) expect(hooks).toContain(target);
    expect(new Set(Object.values(FAPISTRANO_HOOK_NAMES)).size).toBe(signals.length);
  });

  it("refuses a hook written under both names, which would run in an order nobody chose", () => {
    const error = refusal({ updating: "a", "deploy.updating": "b" });
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toBe("hooks: 'updating' and 'deploy.updating' are the same hook");
  });

  it("still refuses a name neither fap nor Fapistrano has", () => {
    expect(refusal({ "deploy.deployed": "make" }).message).toBe("hooks: unknown hook 'deploy.deployed'");
    expect(refusal({ "rollback.reverting": "make" }).message).toBe("hooks: unknown hook 'rollback.reverting'");
  });
});
