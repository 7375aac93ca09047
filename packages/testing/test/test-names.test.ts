import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// vitest.config.ts puts a test in the `e2e` project (root, sshd, the Debian packages) by its
// name alone, so `npm run test:unit` runs anywhere. A test that starts hosts but is named like a
// unit test would break that for every newcomer: this names it.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const TEST_FOLDERS = ["packages", "examples"].flatMap((top) =>
  readdirSync(path.join(ROOT, top)).map((name) => path.join(top, name, "test")),
).concat(["test"]);
const STARTS_HOSTS = /\bstartTestHosts\b|from "[./]*(harness|three-hosts)\.js"/;

function testFiles(folder: string): string[] {
  let names: string[];
  try {
    names = readdirSync(path.join(ROOT, folder), { recursive: true, encoding: "utf8" });
  } catch {
    return [];
  }
  return names.filter((name) => name.endsWith(".test.ts") && !name.includes("node_modules")).map((name) => path.join(folder, name));
}

describe("test file names", () => {
  it("end in .e2e.test.ts or .integration.test.ts when the test starts hosts", () => {
    const files = TEST_FOLDERS.flatMap(testFiles);
    expect(files.length).toBeGreaterThan(50);
    const misnamed = files.filter((file) => !/\.(e2e|integration)\.test\.ts$/.test(file) && STARTS_HOSTS.test(readFileSync(path.join(ROOT, file), "utf8")));
    expect(misnamed, "rename these to *.e2e.test.ts (they need sshd and root)").toEqual([]);
  });
});
