import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inspectCommand } from "../../src/shell/inspect.js";
import {
  EMPTY_HOST_STATE,
  isGoodRelease,
  parseHostState,
  releasesToPrune,
  rollbackTarget,
  type HostState,
} from "../../src/run/host-state.js";
import { formatLogLine, type ReleaseLogEntry, type ReleaseStatus } from "../../src/release/release-log.js";

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "fap-host-state-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const logLine = (id: string, status: ReleaseStatus) =>
  formatLogLine({ id, status, time: "2024-01-02T03:04:05.000Z", user: "deploy", deploy: "d" } satisfies ReleaseLogEntry);

function pathsOf(root: string) {
  return { current: `${root}/current`, releases: `${root}/releases`, meta: `${root}/.fap` };
}

/** Runs `inspectCommand` in a real shell, as a host would. */
function inspect(root: string): HostState {
  return parseHostState(execFileSync("sh", ["-c", inspectCommand(pathsOf(root))], { encoding: "utf8" }));
}

/** A host state from a list of `id:status` (status optional) and the current id. */
function state(ids: string[], current: string | undefined): HostState {
  const log = ids
    .filter((spec) => spec.includes(":"))
    .map((spec) => logLine(spec.split(":")[0]!, spec.split(":")[1] as ReleaseStatus))
    .join("\n");
  const releases = ids.map((spec) => spec.split(":")[0]!);
  return parseHostState(
    ["::fap::current", ...(current ? [`releases/${current}`] : []), "::fap::releases", ...releases, "::fap::log", log].join("\n"),
  );
}

describe("parseHostState on inspectCommand's output", () => {
  it("reads current, the releases oldest first, and the log", () => {
    const root = join(tmp, "deployed", "my app");
    for (const id of ["240102-030405-10", "240102-030405", "240102-030405-9", "231231-000000"]) {
      mkdirSync(join(root, "releases", id), { recursive: true });
    }
    symlinkSync("releases/240102-030405-10", join(root, "current"));
    mkdirSync(join(root, ".fap"));
    appendFileSync(join(root, ".fap", "releases.log"), [logLine("240102-030405-10", "pending"), logLine("240102-030405-10", "ok"), logLine("240102-030405-9", "failed")].join("\n") + "\n");

    const hostState = inspect(root);
    expect(hostState.current).toBe("240102-030405-10");
    expect(hostState.releases).toEqual(["231231-000000", "240102-030405", "240102-030405-9", "240102-030405-10"]);
    expect(hostState.log.get("240102-030405-10")?.status).toBe("ok");
    expect(hostState.log.get("240102-030405-9")?.status).toBe("failed");
  });

  it("reads an absolute current link", () => {
    const root = join(tmp, "absolute");
    mkdirSync(join(root, "releases", "1"), { recursive: true });
    symlinkSync(join(root, "releases", "1"), join(root, "current"));
    expect(inspect(root).current).toBe("1");
  });

  /** A host whose log is long: an old release still on it, marked bad early on, 200 pruned ones, a recent one. */
  function longLog(name: string): { root: string; pruned: string[] } {
    const root = join(tmp, name);
    for (const id of ["200101-000000", "240101-000000"]) mkdirSync(join(root, "releases", id), { recursive: true });
    // `current` names a release whose directory is gone (by an absolute path, with a slash at its end): its lines count too.
    symlinkSync(`${join(root, "releases", "230101-000000")}/`, join(root, "current"));
    mkdirSync(join(root, ".fap"));
    const pruned = Array.from({ length: 200 }, (_, i) => `210101-000000-${i + 2}`);
    const lines = [
      formatLogLine({ revision: "a1", id: "200101-000000", status: "live", time: "t", user: "u", deploy: "d" }),
      logLine("230101-000000", "ok"),
      logLine("200101-000000", "bad"),
      '{"id":"210101-000000-1","status":"pend', // torn by a crash mid-write
      "",
      ...pruned.flatMap((id) => [logLine(id, "pending"), logLine(id, "ok")]),
      logLine("240101-000000", "pending"),
      logLine("240101-000000", "ok"),
    ];
    appendFileSync(join(root, ".fap", "releases.log"), `${lines.join("\n")}\n`);
    return { root, pruned };
  }

  it("reads, of a long log, every line of the releases on the host and of current, however old, and its last 100 lines", () => {
    const { root, pruned } = longLog("long log");
    const { log } = inspect(root);
    expect(log.get("200101-000000")).toMatchObject({ status: "bad", revision: "a1" });
    expect(log.get("230101-000000")?.status).toBe("ok");
    expect(log.get("240101-000000")?.status).toBe("ok");
    // The last 100 lines: the recent release's 2 and 49 pruned releases' 2 each, whose ids a new one must not repeat.
    expect([...log.keys()].filter((id) => id.startsWith("210101"))).toEqual(pruned.slice(-49));
  });

  it("reads the log whole where there is no awk", () => {
    const { root, pruned } = longLog("no awk");
    const bin = join(tmp, "bin-without-awk");
    mkdirSync(bin);
    for (const tool of ["ls", "readlink", "cat"]) symlinkSync(execFileSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).trim(), join(bin, tool));
    const stdout = execFileSync("/bin/sh", ["-c", inspectCommand(pathsOf(root))], { encoding: "utf8", env: { PATH: bin } });
    const { log } = parseHostState(stdout);
    expect([...log.keys()].filter((id) => id.startsWith("210101"))).toEqual(pruned);
    expect(log.get("200101-000000")?.status).toBe("bad");
  });

  it("reads a host with nothing deployed as empty", () => {
    const hostState = inspect(join(tmp, "nothing-here"));
    expect(hostState).toEqual({ current: undefined, releases: [], log: new Map(), made: [] });
    expect(hostState).toEqual(EMPTY_HOST_STATE);
  });
});

describe("isGoodRelease", () => {
  it.each([
    ["1", true],
    ["2:ok", true],
    ["3:pending", false],
    ["4:failed", false],
    ["5:rolled-back", false],
  ])("%s → %s", (spec, expected) => {
    expect(isGoodRelease(state([spec], undefined), spec.split(":")[0]!)).toBe(expected);
  });
});

describe("rollbackTarget", () => {
  it.each<[string, string[], string | undefined, string | undefined]>([
    ["two releases: the older", ["1:ok", "2:ok"], "2", "1"],
    ["one release: none", ["1:ok"], "1", undefined],
    ["nothing deployed: none", [], undefined, undefined],
    ["skips failed and rolled-back ones", ["1:ok", "2:failed", "3:rolled-back", "4:pending", "5:ok"], "5", "1"],
    ["only older than current", ["1:ok", "2:ok", "3:ok"], "2", "1"],
    ["releases without a log line count", ["1", "2"], "2", "1"],
    ["same-second suffixes in time order", ["240102-030405-9:ok", "240102-030405-10:ok", "240102-030405:ok"], "240102-030405-10", "240102-030405-9"],
    ["only bad ones older: none", ["1:failed", "2:ok"], "2", undefined],
    ["skips one a failed run left live", ["1:ok", "2:live", "3:ok"], "3", "1"],
  ])("%s", (_name, ids, current, expected) => {
    expect(rollbackTarget(state(ids, current))).toBe(expected);
  });
});

describe("releasesToPrune", () => {
  const seven = ["1:ok", "2:ok", "3:ok", "4:ok", "5:ok", "6:ok", "7:ok"];

  it("keeps 5 of 7 (the live one and 4 older)", () => {
    expect(releasesToPrune(state(seven, "7"), "7", 5)).toEqual(["1", "2"]);
  });

  it("keeps 5 when the live release is the new one, not yet on the host", () => {
    // As during a deploy: the state was read before the new release "8" was made.
    expect(releasesToPrune(state(seven, "7"), "8", 5)).toEqual(["1", "2", "3"]);
  });

  it("never removes the live release", () => {
    expect(releasesToPrune(state(seven, "7"), "7", 0)).toEqual(["1", "2", "3", "4", "5", "6"]);
    expect(releasesToPrune(state(seven, "7"), "7", 1)).toEqual(["1", "2", "3", "4", "5", "6"]);
  });

  it("removes failed, rolled-back and unfinished ones and does not count them", () => {
    const ids = ["1:ok", "2:failed", "3:ok", "4:pending", "5:rolled-back", "6:ok"];
    expect(releasesToPrune(state(ids, "6"), "6", 3)).toEqual(["2", "4", "5"]);
    expect(releasesToPrune(state(ids, "6"), "6", 2)).toEqual(["1", "2", "4", "5"]);
  });

  it("leaves releases newer than the live one alone", () => {
    // After a rollback to 3: 4 and 5 are newer and stay, whatever their status.
    const ids = ["1:ok", "2:ok", "3:ok", "4:failed", "5:ok"];
    expect(releasesToPrune(state(ids, "3"), "3", 2)).toEqual(["1"]);
  });

  it("orders same-second suffixes by time", () => {
    const ids = ["240102-030405:ok", "240102-030405-2:ok", "240102-030405-9:ok", "240102-030405-10:ok"];
    expect(releasesToPrune(state(ids, "240102-030405-10"), "240102-030405-10", 2)).toEqual(["240102-030405", "240102-030405-2"]);
  });
});

describe("host state: mutants", () => {
  // Checks the mutation run (npm run test:mutation) found untested.
  const info = { deploy: "a5b4d672", flow: "deploy", user: "ann", machine: "m", pid: 7, time: "2024-01-01T00:00:00.000Z", expires: "2999-01-01T00:00:00.000Z" };

  it("reads the lock with its holder, the directories made for it, and skips blank lines", () => {
    const parsed = parseHostState(
      ["::fap::made", "/srv/app/.fap", "", "/srv/app", "::fap::current", "", "releases/2//", "::fap::releases", "1", "", "2", "::fap::log", "::fap::lock", "held", JSON.stringify(info), ""].join("\n"),
    );
    expect(parsed).toEqual({ current: "2", releases: ["1", "2"], log: new Map(), lock: { holder: info }, made: ["/srv/app/.fap", "/srv/app"] });
  });

  it("skips a section it does not know, and a mark with no name", () => {
    const parsed = parseHostState(["::fap::releases", "1", "::fap::future", "x", "::fap::", "y", "::fap::constructor", "z", "::fap::releases", "2"].join("\n"));
    expect(parsed.releases).toEqual(["1", "2"]);
  });

  it("goes back nowhere when nothing is current, whatever releases there are", () => {
    expect(rollbackTarget(state(["1:ok", "2:ok"], undefined))).toBeUndefined();
  });

  it("prunes nothing while there are fewer good releases than kept, and names what it prunes oldest first", () => {
    expect(releasesToPrune(state(["1:ok", "2:ok", "3:ok", "4:ok"], "4"), "4", 5)).toEqual([]);
    expect(releasesToPrune(state(["1:failed", "2:ok", "3:ok"], "3"), "3", 1)).toEqual(["1", "2"]);
  });
});
