import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseHostState } from "../../src/run/host-state.js";
import { inspectCommand } from "../../src/shell/inspect.js";

// Checks the mutation run (npm run test:mutation) found untested: the lock a read without
// locking reports (what `fap status` and `fap unlock` show), tested only through the CLI's dist.

let root: string;
beforeEach(() => {
  root = join(mkdtempSync(join(tmpdir(), "fap inspect ")), "app");
});
afterEach(() => rmSync(join(root, ".."), { recursive: true, force: true }));

const paths = () => ({ current: `${root}/current`, releases: `${root}/releases`, meta: `${root}/.fap` });
const info = { deploy: "d1", flow: "deploy", user: "ann", machine: "m", pid: 7, time: "2024-01-01T00:00:00.000Z", expires: "2999-01-01T00:00:00.000Z" };
const read = (command: string) => parseHostState(spawnSync("sh", ["-c", command], { encoding: "utf8" }).stdout);

describe("inspectCommand", () => {
  it("reports the lock another run holds, when it takes none", () => {
    mkdirSync(`${root}/.fap/lock`, { recursive: true });
    writeFileSync(`${root}/.fap/lock/info`, `${JSON.stringify(info)}\n`);
    expect(read(inspectCommand(paths())).lock).toEqual({ holder: info });
  });

  it("does not read back the lock it took", () => {
    const state = read(inspectCommand(paths(), { ...info, deploy: "d2" }));
    expect(state.made).toEqual([`${root}/.fap`, root]);
    expect(state.lock).toBeUndefined();
  });
});
