import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

// The docs' examples import and load plugins by the names a user would: @fap/* (the repository's
// node_modules links the built packages), and the example plugins under their package names.
const EXAMPLE_PACKAGES: Record<string, string> = {
  "fap-plugin-healthcheck": "examples/third-party-plugin",
  "fap-plugin-migrate": "examples/plugin-migrate",
};

/**
 * A folder inside the repository (so node_modules/@fap/* resolves, as in a user's project)
 * where the examples pretend to be a project with the example plugins installed.
 */
export function exampleProject(root: string, prefix: string): string {
  const dir = mkdtempSync(path.join(root, "test/docs", `.${prefix}-`));
  mkdirSync(path.join(dir, "node_modules"));
  for (const [name, folder] of Object.entries(EXAMPLE_PACKAGES)) symlinkSync(path.join(root, folder), path.join(dir, "node_modules", name));
  writeFileSync(path.join(dir, ".gitignore"), "*\n");
  return dir;
}
