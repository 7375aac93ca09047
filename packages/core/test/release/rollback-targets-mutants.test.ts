import { describe, expect, it } from "vitest";
import { rollbackTargets } from "../../src/release/rollback-targets.js";
import { thrown } from "../../../../test/thrown.js";
import { host } from "./_rollback-host.js";

// Checks the mutation run (npm run test:mutation) found untested: `rollback --to` (tested
// only end to end before), hosts that run nothing, and the refusals' exact words.

describe("rollbackTargets with align", () => {
  it("names a host that runs nothing, and leaves it without a target", () => {
    const hosts = [host("a", ["1", "2", "3"], "3"), host("b", ["1", "3"], "3"), host("c", [], undefined)];
    expect(thrown(() => rollbackTargets(hosts, false)).message).toBe(
      "the hosts would roll back to different releases (a: 3 → 2, b: 3 → 1, c: nothing → none); nothing was changed",
    );
    expect(rollbackTargets(hosts, true)).toEqual(["1", "1", undefined]);
  });

  it("never picks a host's current release as the common target", () => {
    const hosts = [host("a", ["1:ok", "2:ok", "3:ok"], "3"), host("b", ["1:ok", "2:ok", "3:failed"], "2")];
    expect(thrown(() => rollbackTargets(hosts, false)).message).toContain("a: 3 → 2, b: 2 → 1");
    expect(rollbackTargets(hosts, true)).toEqual(["1", "1"]);
  });

  it("says to deploy instead when nothing is common", () => {
    const error = thrown(() => rollbackTargets([host("a", ["1", "2", "3"], "3"), host("b", ["2:failed", "3", "4"], "4"), host("c", ["1", "4"], "4")], true));
    expect(error.hint).toBe("deploy the version you want instead");
    expect(error.message).toBe(
      "no release older than every host's current is good on every host (a: 3 → 2, b: 4 → 3, c: 4 → 1); nothing was changed",
    );
  });
});

describe("rollbackTargets with --to", () => {
  const revision = "0123456789abcdef0123456789abcdef01234567";

  it("sends every host to the release of that id, even where it is not the previous one", () => {
    const hosts = [host("a", ["1", "2", "3"], "3"), host("b", ["1", "2", "3", "4"], "4")];
    expect(rollbackTargets(hosts, false, "1")).toEqual(["1", "1"]);
  });

  it("or to the newest good release of that revision, in full or by a prefix of 7 characters or more", () => {
    const hosts = [
      host("a", [`1:ok:${revision}`, `2:ok:${revision}`, "3:ok:ffff"], "3"),
      host("b", [`7:ok:${revision}`, `8:failed:${revision}`, "9:ok"], "9"),
    ];
    expect(rollbackTargets(hosts, false, revision)).toEqual(["2", "7"]);
    expect(rollbackTargets(hosts, false, revision.slice(0, 7))).toEqual(["2", "7"]);
    expect(thrown(() => rollbackTargets(hosts, false, revision.slice(0, 6))).code).toBe("E_RELEASE_NOT_FOUND");
    // A prefix only from the start of the revision.
    expect(thrown(() => rollbackTargets(hosts, false, revision.slice(1, 9))).code).toBe("E_RELEASE_NOT_FOUND");
  });

  it("refuses naming each host that cannot go there and what it holds, with a hint", () => {
    const hosts = [
      host("ok", ["1:ok", "2:ok"], "2"),
      host("runs", ["1:ok"], "1"),
      host("failed", ["1:failed", "2:ok"], "2"),
      host("unlogged", ["0", "2"], "2"),
      host("other", ["5", "6"], "6"),
      host("empty", [], undefined),
    ];
    const error = thrown(() => rollbackTargets(hosts, false, "1"));
    expect(error.code).toBe("E_RELEASE_NOT_FOUND");
    expect(error.message).toBe(
      "rollback --to 1: not every host can go there (runs: already runs 1; failed: holds 1 as failed; " +
        "unlogged: does not hold it (runs 2; holds 0, 2); other: does not hold it (runs 6; holds 5, 6); " +
        "empty: does not hold it (runs nothing; holds no release)); nothing was changed",
    );
    expect(error.hint).toBe(
      "fap releases -s STAGE lists what each host holds; choose a release every host holds in good state, or select hosts with --hosts",
    );
  });

  it("names the releases of a revision a host holds only in bad state", () => {
    const hosts = [host("a", [`1:failed:${revision}`, `2:rolled_back:${revision}`, "3:ok:other"], "3"), host("b", [`4:ok:${revision}`, "5:ok"], "5")];
    expect(thrown(() => rollbackTargets(hosts, false, revision)).message).toBe(
      `rollback --to ${revision}: not every host can go there (a: holds that revision only as 1 (failed), 2 (rolled_back)); nothing was changed`,
    );
  });

  it("a release without a recorded revision, or with an empty one, matches no revision", () => {
    const hosts = [host("a", ["1:ok:", "2:ok"], "2")];
    expect(thrown(() => rollbackTargets(hosts, false, "")).message).toBe(
      "rollback --to : not every host can go there (a: does not hold it (runs 2; holds 1, 2)); nothing was changed",
    );
  });

  it("matches a revision shorter than 7 characters only in full", () => {
    const hosts = [host("a", ["1:ok:v1", "2:ok:v2"], "2")];
    expect(rollbackTargets(hosts, false, "v1")).toEqual(["1"]);
  });

  it("a host already on the release of that revision is refused as running it", () => {
    const hosts = [host("a", [`1:ok:${revision}`], "1")];
    expect(thrown(() => rollbackTargets(hosts, false, revision)).message).toContain("(a: already runs 1)");
  });
});
