import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Connection } from "../src/connection.js";
import { closeIdlest, connectionBudget } from "../src/open-file-budget.js";

// connectionBudget and closeIdlest are only reached through real connections in the
// integration tests; these check the arithmetic and the choice of the connection to close.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "fap-open-files-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function limits(openFiles: string): Promise<string> {
  const file = path.join(dir, `limits-${openFiles}`);
  await writeFile(file, `Limit                     Soft Limit           Hard Limit           Units\nMax processes             63472                63472                processes\nMax open files            ${openFiles}                 524288               files\n`);
  return file;
}

describe("connectionBudget", () => {
  it.each([
    ["1024", 1024 - 64],
    ["100", 100 - 50],
    ["129", 129 - 64],
    ["3", 2],
    ["1", 1],
    ["0", 1],
  ])("open files %s: %s connections", async (soft, budget) => {
    expect(connectionBudget(await limits(soft))).toBe(budget);
  });

  it("has no bound when unlimited or unreadable", async () => {
    expect(connectionBudget(await limits("unlimited"))).toBeUndefined();
    expect(connectionBudget(path.join(dir, "missing"))).toBeUndefined();
    const odd = path.join(dir, "odd");
    await writeFile(odd, "Max processes 10\n");
    expect(connectionBudget(odd)).toBeUndefined();
  });

  it("reads this process's limit by default", () => {
    const budget = connectionBudget();
    if (existsSync("/proc/self/limits")) expect(budget).toBeGreaterThanOrEqual(1);
    else expect(budget).toBeUndefined();
  });
});

/** What closeIdlest reads of a connection: its idle time, whether it is lost, and end(). */
function connection(idle: number, isLost = false): Connection & { ended: boolean } {
  const fake = {
    isLost,
    ended: false,
    idleMs: () => idle,
    end: async () => {
      fake.ended = true;
    },
  };
  return fake as unknown as Connection & { ended: boolean };
}

describe("closeIdlest", () => {
  it("closes nothing below the budget or without one", () => {
    const pool = new Map([["a", { connection: connection(5000) }]]);
    expect(closeIdlest(pool, 2, new Set())).toBeUndefined();
    expect(closeIdlest(pool, undefined, new Set())).toBeUndefined();
    expect(pool.size).toBe(1);
  });

  it("at the budget, closes the connection idle longest, not a lost one, a kept one or a busy one", () => {
    const idlest = connection(900);
    const pool = new Map<string, { connection?: Connection | undefined }>([
      ["busy", { connection: connection(199) }],
      ["idlest", { connection: idlest }],
      ["idle", { connection: connection(500) }],
      ["lost", { connection: connection(5000, true) }],
      ["jump", { connection: connection(9000) }],
      ["connecting", {}],
    ]);
    expect(closeIdlest(pool, 6, new Set(["jump"]))).toBe("idlest");
    expect(idlest.ended).toBe(true);
    expect([...pool.keys()]).toEqual(["busy", "idle", "lost", "jump", "connecting"]);
    expect(closeIdlest(pool, 5, new Set(["jump"]))).toBe("idle");
  });

  it("closes a connection idle exactly 200 ms, and none when all are busier", () => {
    const pool = new Map([["a", { connection: connection(199) }], ["b", { connection: connection(200) }]]);
    expect(closeIdlest(pool, 2, new Set())).toBe("b");
    expect(closeIdlest(pool, 1, new Set())).toBeUndefined();
    expect(pool.size).toBe(1);
  });
});
