import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// @fap/core's exports are a promise to plugin authors: api/public.txt lists them, and
// api/internal.txt what @fap/core/internal adds for fap's own packages. These fail when an
// export was added, removed or changed kind without the lists being remade, so the change shows
// in review. Reads the built package: `npm run build` first (`npm run api:update` does both).
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const SCRIPT = path.join(ROOT, "scripts/api-report.mjs");
const UPDATE = "run `npm run api:update` and commit packages/core/api/";

/** The names in a report that exist at run time (types do not). */
function values(file: string): string[] {
  return readFileSync(path.join(ROOT, "packages/core/api", file), "utf8")
    .split("\n")
    .filter((line) => /^(class|function|const|enum) /.test(line))
    .map((line) => line.split(" ")[1]!)
    .sort();
}

describe("@fap/core's API report", () => {
  it("lists what each entry's declarations export", async () => {
    const result = await new Promise<{ code: number; err: string }>((resolve) =>
      execFile(process.execPath, [SCRIPT, "--check"], { cwd: ROOT }, (error, _out, err) => resolve({ code: error ? 1 : 0, err })),
    );
    expect(result.err, `the API report is out of date: ${UPDATE}`).toBe("");
    expect(result.code).toBe(0);
  });

  it("lists what the built entries export at run time", async () => {
    const publicEntry = await import("@fap/core");
    const internalEntry = await import("@fap/core/internal");
    expect(Object.keys(publicEntry).sort(), `@fap/core's runtime exports differ from api/public.txt: ${UPDATE}`).toEqual(values("public.txt"));
    expect(Object.keys(internalEntry).sort(), `@fap/core/internal's runtime exports differ from the API report: ${UPDATE}`).toEqual(
      [...values("public.txt"), ...values("internal.txt")].sort(),
    );
  });

  it("shares one bundled copy between both entries", async () => {
    const publicEntry = await import("@fap/core");
    const internalEntry = await import("@fap/core/internal");
    expect(publicEntry.FapError).toBe(internalEntry.FapError);
    expect(publicEntry.createFap).toBe(internalEntry.createFap);
    expect(readFileSync(path.join(ROOT, "packages/core/dist/fap-core-public.js"), "utf8")).not.toMatch(/class FapError/);
  });
});
