import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { importCycles, importGraph } from "./import-graph.js";

// Import cycles in packages/*/src: a value cycle makes module evaluation order matter (a
// binding read before its module ran is undefined); a type-only one still ties two concepts
// so neither can move or be understood alone.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe("imports of packages/*/src", () => {
  it("have no cycle at run time (imports left in the JavaScript)", () => {
    expect(importCycles(importGraph(ROOT, { typesToo: false })).map((cycle) => cycle.join(" → "))).toEqual([]);
  });

  it("have no cycle counting type imports", () => {
    expect(importCycles(importGraph(ROOT, { typesToo: true })).map((cycle) => cycle.join(" → "))).toEqual([]);
  });

  it("are all read: relative, through a package's exports map, and type-only ones only when asked", () => {
    const all = importGraph(ROOT, { typesToo: true });
    const values = importGraph(ROOT, { typesToo: false });
    expect(all.size).toBeGreaterThan(200);
    expect(all.get("packages/cli/src/report/model.ts")).toContain("packages/cli/src/report/lanes.ts");
    expect(all.get("packages/ssh/src/index.ts")?.length).toBeGreaterThan(0);
    const cli = [...all.entries()].filter(([file]) => file.startsWith("packages/cli/")).flatMap(([, targets]) => targets);
    expect(cli).toContain("packages/core/src/internal.ts");
    expect(all.get("packages/core/src/events.ts")).toContain("packages/core/src/run/run-summary.ts");
    expect(values.get("packages/core/src/events.ts")).not.toContain("packages/core/src/run/run-summary.ts");
  });
});

describe("importCycles", () => {
  it("finds one cycle per group of files importing each other, and a file importing itself", () => {
    // a → b → c → a is one group (d hangs off it); e imports itself; f only leads into a cycle.
    const graph = new Map(Object.entries({ a: ["b"], b: ["c", "d"], c: ["a"], d: ["e"], e: ["e"], f: ["a"] }));
    expect(importCycles(graph)).toEqual([["a", "b", "c", "a"], ["e", "e"]]);
    expect(importCycles(new Map([["a", ["b"]], ["b", []]]))).toEqual([]);
  });
});
