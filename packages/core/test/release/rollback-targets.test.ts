import { describe, expect, it } from "vitest";
import { rollbackTargets } from "../../src/release/rollback-targets.js";
import { thrown } from "../../../../test/thrown.js";
import { host } from "./_rollback-host.js";

describe("rollbackTargets", () => {
  it("gives each host the same target when the hosts agree", () => {
    expect(rollbackTargets([host("a", ["1", "2"], "2"), host("b", ["1:ok", "2:ok"], "2")], false)).toEqual(["1", "1"]);
  });

  it("leaves a host with no target undefined: reverting fails it, nothing changes anywhere", () => {
    expect(rollbackTargets([host("a", ["1", "2"], "2"), host("b", ["2"], "2")], false)).toEqual(["1", undefined]);
  });

  it("refuses diverging targets, naming each host's current and target", () => {
    const error = thrown(() => rollbackTargets([host("a", ["1", "2", "3"], "3"), host("b", ["1", "3"], "3")], false));
    expect(error.code).toBe("E_ROLLBACK_DIVERGED");
    expect(error.message).toBe("the hosts would roll back to different releases (a: 3 → 2, b: 3 → 1); nothing was changed");
    expect(error.hint).toMatch(/--align/);
  });

  it("a release left live by a failed run is no target: the hosts it was left on diverge from the rest", () => {
    const error = thrown(() => rollbackTargets([host("a", ["1:ok", "2:live", "3:ok"], "3"), host("b", ["1:ok", "2:ok", "3:ok"], "3")], false));
    expect(error.message).toContain("a: 3 → 1, b: 3 → 2");
  });

  it("with align, sends every host to the newest release good on all of them and older than every current", () => {
    const hosts = [host("a", ["1", "2", "3", "4"], "4"), host("b", ["1", "2:live", "4"], "4"), host("c", ["1", "2", "3"], "3")];
    expect(rollbackTargets(hosts, true)).toEqual(["1", "1", "1"]);
  });

  it("with align, refuses when no release is good on every host", () => {
    const error = thrown(() => rollbackTargets([host("a", ["1", "2", "3"], "3"), host("b", ["2:failed", "3", "4"], "4"), host("c", ["1", "4"], "4")], true));
    expect(error.code).toBe("E_ROLLBACK_DIVERGED");
    expect(error.message).toMatch(/^no release older than every host's current is good on every host/);
  });
});
