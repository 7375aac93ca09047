import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

it("npm run demo deploys examples/smallest to three hosts, redeploys and rolls back", async () => {
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile(process.execPath, ["scripts/demo.mjs"], { cwd: root, env: { ...process.env, NO_COLOR: "1" } }, (error, out) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: out }),
    );
  });
  expect(code).toBe(0);
  const deployed = [...stdout.matchAll(/revision ([0-9a-f]{40}); settings linked/g)].map((m) => m[1]);
  expect(deployed).toHaveLength(3);
  // After the rollback every host runs the first commit again, the one the first deploy logged.
  expect(new Set(deployed).size).toBe(1);
  expect(stdout).toMatch(/rollback \w+: done/);
});
