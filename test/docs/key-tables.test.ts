import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { keyTable, type KeyDeclarations } from "@fap/core";
import { describe, expect, it } from "vitest";

// Each plugin's docs page holds its key table, made from the plugin's key declaration by
// scripts/key-tables.mjs; these fail when a declaration changed and the page was not remade.
// Needs `npm run build` first (the script reads the built plugins).
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SCRIPT = path.join(ROOT, "scripts/key-tables.mjs");

describe("docs key tables", () => {
  it("match every plugin's key declaration (node scripts/key-tables.mjs rewrites them)", async () => {
    const result = await new Promise<{ code: number; err: string }>((resolve) =>
      execFile(process.execPath, [SCRIPT, "--check"], { cwd: ROOT }, (error, _out, err) => resolve({ code: error ? 1 : 0, err })),
    );
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
  });

  it("hold a row for each key, with its option, type, default and meaning", async () => {
    const { CURL_KEYS } = (await import("@fap/plugin-curl")) as { CURL_KEYS: KeyDeclarations };
    const page = readFileSync(path.join(ROOT, "docs/plugins/curl.md"), "utf8");
    expect(page).toContain(keyTable(CURL_KEYS, "curl"));
    expect(page).toContain("| `curl_max_time` | `maxTime` | number (> 0) | `600` | seconds one download attempt may take (`curl --max-time`) |");
    expect(page).toContain("| `curl_user` | `user` | string, **secret** | unset |");
  });
});
