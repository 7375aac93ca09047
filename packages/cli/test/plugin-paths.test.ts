import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { isFapError } from "@fap/core";
import { afterAll, describe, expect, it } from "vitest";
import { loadPlugins } from "../src/load-plugins.js";
import { isPath, packageToInstall, pluginCandidates } from "../src/plugin-names.js";

// A plugin entry is a path when it starts with ./, ../, / or a drive letter: loaded as a file,
// relative to the config's folder, never looked up as a package (nor offered to npm install).
describe("plugin entries that are paths", () => {
  it.each(["./x.js", "../x.js", "../../plugins/x.mjs", "/srv/x.js", "C:\\plugins\\x.js", "c:/plugins/x.js"])("%s is a path, tried as itself only", (name) => {
    expect(isPath(name)).toBe(true);
    expect(pluginCandidates(name)).toEqual([name]);
    expect(packageToInstall(name)).toBeUndefined();
  });

  it.each([
    ["x.js", ["x.js", "@fap/plugin-x.js", "fap-plugin-x.js"]],
    [".x", [".x", "@fap/plugin-.x", "fap-plugin-.x"]],
    ["..x", ["..x", "@fap/plugin-..x", "fap-plugin-..x"]],
    ["plugins/x", ["plugins/x", "@fap/plugin-plugins/x", "fap-plugin-plugins/x"]],
    ["C:x", ["C:x", "@fap/plugin-C:x", "fap-plugin-C:x"]],
    ["x/C:/y", ["x/C:/y", "@fap/plugin-x/C:/y", "fap-plugin-x/C:/y"]],
  ])("%s is a name, not a path", (name, candidates) => {
    expect(isPath(name)).toBe(false);
    expect(pluginCandidates(name)).toEqual(candidates);
  });

  describe("loading", () => {
    const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-plugin-paths-")));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    const configDir = path.join(root, "app", "deploy");
    mkdirSync(configDir, { recursive: true });
    mkdirSync(path.join(root, "shared-plugins"), { recursive: true });
    writeFileSync(path.join(root, "shared-plugins", "x.mjs"), 'export default () => ({ name: "from-parent", apply() {} });\n');
    writeFileSync(path.join(root, "app", "y.mjs"), 'export default () => ({ name: "one-up", apply() {} });\n');

    it("loads ../ paths relative to the config's folder", async () => {
      const plugins = await loadPlugins(["../y.mjs", "../../shared-plugins/x.mjs"], configDir);
      expect(plugins.map((p) => p.name)).toEqual(["one-up", "from-parent"]);
    });

    it("names the missing file of a ../ path, and says what it is relative to", async () => {
      const error = await loadPlugins(["../nope.js"], configDir).then(() => undefined, (e: unknown) => e);
      if (!isFapError(error)) throw new Error(`expected a FapError, got ${String(error)}`);
      expect(error.code).toBe("E_PLUGIN_NOT_FOUND");
      expect(error.message).toBe(`plugin '../nope.js' not found: no file ${path.join(root, "app", "nope.js")}`);
      expect(error.hint).toBe(`check the path; it is relative to the config's folder, ${configDir}`);
    });
  });
});
