import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";

/**
 * A gate a hook waits at until the test opens it: the test then knows the hook is still running
 * when it signals fap or kills a host, however slowly a loaded machine got there (a `sleep 2`
 * in the hook was a guess). `wait` is a shell line for the hook; it gives up after 30 s. Its
 * file is outside the hosts' private /srv: every test host sees it. Removed after the file's tests.
 */
export function hookGate(): { wait: string; open(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "fap-gate-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, "open");
  return {
    wait: `i=0; while ! test -e ${file} && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done`,
    open: () => writeFileSync(file, ""),
  };
}
