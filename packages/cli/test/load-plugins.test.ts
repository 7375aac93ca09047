import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { isFapError, type FapError } from "@fap/core";
import { afterAll, describe, expect, it } from "vitest";
import { loadPlugins, pluginOrigin } from "../src/load-plugins.js";
import { coreVersion } from "../src/plugin-compat.js";

const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-load-plugins-")));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let projects = 0;
/** A project folder with packages in node_modules, as `npm install` leaves them. */
function project(packages: Record<string, { manifest?: Record<string, unknown>; files?: Record<string, string> }>): string {
  const dir = path.join(root, `p${++projects}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, { manifest = {}, files = { "index.js": plugin(name) } }] of Object.entries(packages)) {
    const pkgDir = path.join(dir, "node_modules", ...name.split("/"));
    mkdirSync(pkgDir, { recursive: true });
    writeFileSync(path.join(pkgDir, "package.json"), JSON.stringify({ name, version: "1.0.0", type: "module", ...manifest }));
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(pkgDir, file)), { recursive: true });
      writeFileSync(path.join(pkgDir, file), text);
    }
  }
  return dir;
}

/** A plugin module whose factory names the package it came from. */
function plugin(name: string): string {
  return `export default () => ({ name: ${JSON.stringify(name)}, apply() {} });\n`;
}

async function names(entries: string[], dir: string): Promise<string[]> {
  return (await loadPlugins(entries, dir)).map((p) => p.name);
}

/** A @fap/cli folder with nothing beside it: what "not installed anywhere" means here. */
const lonelyFap = path.join(root, "checkout", "cli");
mkdirSync(lonelyFap, { recursive: true });

async function failure(entries: string[], dir: string, cliDir = lonelyFap): Promise<FapError> {
  const error = await loadPlugins(entries, dir, { cliDir }).then(() => undefined, (e: unknown) => e);
  if (!isFapError(error)) throw new Error(`expected a FapError, got ${String(error)}`);
  return error;
}

describe("loadPlugins: which package a name means", () => {
  it("prefers the exact name, then @fap/plugin-<name>, then fap-plugin-<name>", async () => {
    const all = project({ thing: {}, "@fap/plugin-thing": {}, "fap-plugin-thing": {} });
    expect(await names(["thing"], all)).toEqual(["thing"]);
    const noExact = project({ "@fap/plugin-thing": {}, "fap-plugin-thing": {} });
    expect(await names(["thing"], noExact)).toEqual(["@fap/plugin-thing"]);
    const thirdParty = project({ "fap-plugin-thing": {} });
    expect(await names(["thing"], thirdParty)).toEqual(["fap-plugin-thing"]);
  });

  it("a first-party short name means @fap/plugin-<name> only: `pm2` is not pm2's own package, even when that is installed", async () => {
    const pm2Api = { files: { "index.js": "export default { connect() {} };\n" } };
    const both = project({ pm2: pm2Api, "@fap/plugin-pm2": {}, git: pm2Api, "@fap/plugin-git": {}, "@fap/plugin-node": {}, "@fap/plugin-upload": {}, "@fap/plugin-systemd": {} });
    expect(await names(["pm2", "git", "node", "upload", "systemd"], both)).toEqual(["@fap/plugin-pm2", "@fap/plugin-git", "@fap/plugin-node", "@fap/plugin-upload", "@fap/plugin-systemd"]);
    const onlyPm2 = project({ pm2: pm2Api });
    const error = await failure(["pm2"], onlyPm2);
    expect(error.code).toBe("E_PLUGIN_NOT_FOUND");
    expect(error.message).toBe(`plugin 'pm2' not found (tried @fap/plugin-pm2 from ${onlyPm2} and from fap's own install, ${path.dirname(lonelyFap)})`);
    expect(error.hint).toBe("npm install --save-dev @fap/plugin-pm2");
  });

  it("maps @scope/<name> to @scope/fap-plugin-<name>, and Fapistrano's fapistrano.<name> to @fap/plugin-<name>", async () => {
    const dir = project({ "@acme/fap-plugin-thing": {}, "@fap/plugin-git": {}, "@fap/plugin-supervisorctl": {} });
    expect(await names(["@acme/thing", "fapistrano.git", "fapistrano.plugins.supervisorctl"], dir)).toEqual([
      "@acme/fap-plugin-thing",
      "@fap/plugin-git",
      "@fap/plugin-supervisorctl",
    ]);
  });

  it("finds packages in node_modules of parent folders, like Node", async () => {
    const dir = project({ "fap-plugin-up": {} });
    const nested = path.join(dir, "deploy", "config");
    mkdirSync(nested, { recursive: true });
    expect(await names(["up"], nested)).toEqual(["fap-plugin-up"]);
  });

  it("loads an ESM-only package whose exports have only an import condition", async () => {
    const dir = project({
      "fap-plugin-esm": {
        manifest: { exports: { ".": { types: "./dist/index.d.ts", import: "./dist/index.js" }, "./package.json": "./package.json" } },
        files: { "dist/index.js": plugin("esm-only") },
      },
    });
    expect(await names(["esm"], dir)).toEqual(["esm-only"]);
  });

  it("loads a file or a package folder by path, relative to the config's folder", async () => {
    const dir = project({});
    mkdirSync(path.join(dir, "plugins", "folder"), { recursive: true });
    writeFileSync(path.join(dir, "plugins", "file.mjs"), plugin("by-file"));
    writeFileSync(path.join(dir, "plugins", "folder", "package.json"), JSON.stringify({ name: "folder", type: "module", main: "main.js" }));
    writeFileSync(path.join(dir, "plugins", "folder", "main.js"), plugin("by-folder"));
    expect(await names(["./plugins/file.mjs", "./plugins/folder"], dir)).toEqual(["by-file", "by-folder"]);
  });
});

describe("loadPlugins: a name that is not installed", () => {
  it("says on one line which names were tried, and gives the npm install command as the hint", async () => {
    const dir = project({});
    const error = await failure(["healthcheck"], dir);
    expect(error.code).toBe("E_PLUGIN_NOT_FOUND");
    expect(error.message).toBe(
      `plugin 'healthcheck' not found (tried healthcheck, @fap/plugin-healthcheck, fap-plugin-healthcheck from ${dir} and from fap's own install, ${path.dirname(lonelyFap)})`,
    );
    expect(error.hint).toBe("npm install --save-dev fap-plugin-healthcheck");
  });

  it.each([
    ["git", "@fap/plugin-git"],
    ["fapistrano.git", "@fap/plugin-git"],
    ["webpack-build", "@fap/plugin-webpack-build"],
    ["node", "@fap/plugin-node"],
    ["pm2", "@fap/plugin-pm2"],
    ["upload", "@fap/plugin-upload"],
    ["@acme/thing", "@acme/fap-plugin-thing"],
    ["fap-plugin-thing", "fap-plugin-thing"],
    ["@fap/plugin-git", "@fap/plugin-git"],
  ])("suggests installing the right package for %s", async (name, install) => {
    const error = await failure([name], project({}));
    expect(error.hint).toBe(`npm install --save-dev ${install}`);
  });

  it("names the missing file for a path", async () => {
    const dir = project({});
    const error = await failure(["./nope.js"], dir);
    expect(error.message).toBe(`plugin './nope.js' not found: no file ${path.join(dir, "nope.js")}`);
    expect(error.hint).toBe(`check the path; it is relative to the config's folder, ${dir}`);
  });
});

describe("loadPlugins: core version compatibility", () => {
  const core = coreVersion();
  const [major, minor] = core.split(".").map(Number) as [number, number];
  const nextLine = major > 0 ? `^${major + 1}.0.0` : `^0.${minor + 1}.0`;

  it("loads a plugin whose fap.core range includes this core", async () => {
    const dir = project({ "fap-plugin-ok": { manifest: { fap: { core: `^${core}` } } } });
    expect(await names(["ok"], dir)).toEqual(["fap-plugin-ok"]);
  });

  it("refuses a plugin made for another core major, saying which core it needs", async () => {
    const dir = project({ "fap-plugin-future": { manifest: { version: "3.0.0", fap: { core: nextLine } } } });
    const error = await failure(["future"], dir);
    expect(error.code).toBe("E_PLUGIN");
    expect(error.message).toBe(
      `plugin 'future' (fap-plugin-future@3.0.0) is made for @fap/core ${nextLine}, but this fap runs @fap/core ${core}`,
    );
    expect(error.hint).toBe("fap-plugin-future needs a newer fap: npm install --save-dev @fap/cli@latest");
  });

  it("refuses a plugin made for an older core, and says to look for a newer release of it", async () => {
    const dir = project({ "fap-plugin-old": { manifest: { fap: { core: "<0.0.1" } } } });
    const error = await failure(["old"], dir);
    expect(error.message).toContain("is made for @fap/core <0.0.1");
    expect(error.hint).toMatch(/^fap-plugin-old is older than this fap: install a release of it made for @fap\/core /);
  });

  it("falls back to the peer dependency on @fap/core when there is no fap field", async () => {
    const dir = project({ "fap-plugin-peer": { manifest: { peerDependencies: { "@fap/core": nextLine } } } });
    expect((await failure(["peer"], dir)).message).toContain(`is made for @fap/core ${nextLine}`);
  });

  it("refuses a malformed fap field", async () => {
    const dir = project({ "fap-plugin-bad": { manifest: { fap: { core: "soon" } } }, "fap-plugin-empty": { manifest: { fap: {} } } });
    expect((await failure(["bad"], dir)).message).toBe("fap-plugin-bad@1.0.0 declares an invalid @fap/core range 'soon'");
    expect((await failure(["empty"], dir)).message).toBe('fap-plugin-empty@1.0.0 has a "fap" field without a "core" range');
  });

  it("accepts a package that declares nothing", async () => {
    expect(await names(["plain"], project({ "fap-plugin-plain": {} }))).toEqual(["fap-plugin-plain"]);
  });
});

describe("loadPlugins: what a package holds", () => {
  it("reports a module that fails to import, with the file", async () => {
    const dir = project({ "fap-plugin-broken": { files: { "index.js": "export default (;\n" } } });
    const error = await failure(["broken"], dir);
    expect(error.code).toBe("E_PLUGIN");
    expect(error.message).toMatch(/^plugin 'broken' \(.*fap-plugin-broken\/index\.js\) could not be loaded: /);
  });

  it("refuses a module that is not a plugin", async () => {
    const dir = project({ "fap-plugin-nothing": { files: { "index.js": "export default 42;\n" } } });
    expect((await failure(["nothing"], dir)).message).toBe(
      "plugin 'nothing' is not a fap plugin: it needs a name and an apply(fap) function",
    );
  });
});

/** A fap installed with `npm install -g --prefix PREFIX @fap/cli ...packages`: the packages beside it. */
function globalPrefix(packages: Record<string, Record<string, unknown>>): { prefix: string; cliDir: string } {
  const prefix = path.join(root, `g${++projects}`);
  const modules = path.join(prefix, "lib", "node_modules");
  for (const name of ["@fap/cli", ...Object.keys(packages)]) {
    const pkgDir = path.join(modules, ...name.split("/"));
    mkdirSync(pkgDir, { recursive: true });
    writeFileSync(path.join(pkgDir, "package.json"), JSON.stringify({ name, version: "2.0.0", type: "module", ...packages[name] }));
    writeFileSync(path.join(pkgDir, "index.js"), plugin(`${name} beside fap`));
  }
  return { prefix, cliDir: path.join(modules, "@fap", "cli") };
}

describe("loadPlugins: plugins installed beside fap (global, npx)", () => {
  it("finds a plugin beside a global fap when the config's folder has none, and says where it came from", async () => {
    const { cliDir } = globalPrefix({ "@fap/plugin-thing": {} });
    const bare = path.join(root, `python-app${++projects}`);
    mkdirSync(bare);
    const lines: string[] = [];
    const plugins = await loadPlugins(["fapistrano.thing"], bare, { cliDir, report: (line) => lines.push(line) });
    expect(plugins.map((p) => p.name)).toEqual(["@fap/plugin-thing beside fap"]);
    expect(pluginOrigin(plugins[0]!)).toMatchObject({ from: "fap", package: "@fap/plugin-thing", version: "2.0.0" });
    expect(lines).toEqual([
      `plugin 'fapistrano.thing': @fap/plugin-thing@2.0.0 from fap's own install (global), ${path.join(path.dirname(cliDir), "plugin-thing", "index.js")}`,
    ]);
  });

  it("prefers the config's folder: every name there before any name beside fap", async () => {
    const { cliDir } = globalPrefix({ "@fap/plugin-thing": {} });
    const dir = project({ "fap-plugin-thing": {} });
    const plugins = await loadPlugins(["thing"], dir, { cliDir });
    expect(plugins.map((p) => p.name)).toEqual(["fap-plugin-thing"]);
    expect(pluginOrigin(plugins[0]!)?.from).toBe("config");
  });

  it("a global fap's hint installs beside it: npm install -g, naming a prefix that is not node's own", async () => {
    const { prefix, cliDir } = globalPrefix({});
    const bare = path.join(root, `python-app${++projects}`);
    mkdirSync(bare);
    const error = await failure(["fapistrano.git"], bare, cliDir);
    expect(error.message).toBe(`plugin 'fapistrano.git' not found (tried @fap/plugin-git from ${bare} and from fap's own install, ${path.dirname(cliDir)})`);
    expect(error.hint).toBe(`npm install -g --prefix ${prefix} @fap/plugin-git`);
  });

  it("a global fap in a Node project (package.json) still says npm install --save-dev", async () => {
    const { cliDir } = globalPrefix({});
    const dir = project({});
    writeFileSync(path.join(dir, "package.json"), "{}");
    expect((await failure(["git"], dir, cliDir)).hint).toBe("npm install --save-dev @fap/plugin-git");
  });

  it("fap run by npx: the hint is the npx -p line, pinned to what runs, with the plugin added", async () => {
    const npxDir = path.join(root, "npm-cache", "_npx", "0123abcd");
    const cliDir = path.join(npxDir, "node_modules", "@fap", "cli");
    mkdirSync(cliDir, { recursive: true });
    writeFileSync(path.join(cliDir, "package.json"), JSON.stringify({ name: "@fap/cli", version: "2.1.0" }));
    writeFileSync(path.join(npxDir, "package.json"), JSON.stringify({ dependencies: { "@fap/cli": "^2.0.0", "@fap/plugin-curl": "*" } }));
    const bare = path.join(root, `python-app${++projects}`);
    mkdirSync(bare);
    const error = await loadPlugins(["fapistrano.git"], bare, { cliDir }).then(() => undefined, (e: unknown) => e as FapError);
    expect(error?.hint).toMatch(/^npx -p @fap\/cli@2\.1\.0 -p @fap\/plugin-curl -p @fap\/plugin-git fap/);
  });
});
