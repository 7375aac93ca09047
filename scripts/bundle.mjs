#!/usr/bin/env node
// Bundles the compiled modules (dist/*.js, from `tsc -b`) of @fap/core, @fap/ssh and @fap/cli,
// so that `fap` loads a few files instead of some 280: Node loads ES modules one by one, and
// each costs a resolve, a read and a compile.
//
// - @fap/core: its code in dist/fap-core.cjs, CommonJS, loaded with a code cache (code-cache.ts)
//   by dist/fap-core.js, exported as `@fap/core/internal` (and the .cjs itself, to require()).
//   `@fap/core` itself (the plugin-author API, src/index.ts) is dist/fap-core-public.js: a
//   single line re-exporting its names from dist/fap-core.js, so every entry shares one module
//   instance (one FapError class, one hook registry) and no code is bundled twice, but for the
//   ~60 lines that load the code (code-cache.ts), which dist/fap-core.js needs before it has
//   core. Its dependencies stay external, so every package that imports @fap/core shares the
//   one bundle.
// - @fap/ssh: its code in dist/fap-ssh.cjs, loaded with a code cache by dist/fap-ssh.js, with
//   @fap/core external, and dist/fap-ssh2.cjs, the parts of ssh2 it uses in one file, loaded so
//   too; ssh2's native addons are loaded from ssh2 as installed (bundle-ssh2-client.mjs).
// - each first-party plugin (packages/plugin-*): dist/fap-plugin-<name>.js, its "." export,
//   with every package it imports (@fap/core, execa, semver...) external: a config naming it
//   loads one file instead of its 6 to 16 (plugin-git: ~10 ms of CPU less per run).
// - @fap/cli: dist/fap-cli.js, every command's code, with commander, yaml and semver inside:
//   Node loads each of them as dozens of CommonJS files. @fap/core and @fap/ssh stay external
//   (one instance, shared with plugins); so do cosmiconfig and jiti, which load files of their
//   own by path. dist/fap-cli-index.js and dist/fap-cli-run.js, the package's entries,
//   re-export from it.
//
// Every bundle is minified, names kept, and each package's dist/THIRD-PARTY-NOTICES.txt gives
// the licenses of the packages bundled into it (bundle-notices.mjs).
//
// A CommonJS package left external is loaded with require(), not import: importing CommonJS
// from an ES module makes Node scan its source for export names first (jiti: 60 ms instead of
// 20).
import { readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { writeNotices } from "./bundle-notices.mjs";
import { bundleSsh2Copy, ssh2ClientOnly } from "./bundle-ssh2-client.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CORE = path.join(ROOT, "packages/core");
const SSH = path.join(ROOT, "packages/ssh");
const CLI = path.join(ROOT, "packages/cli");
const { engines } = JSON.parse(readFileSync(path.join(CORE, "package.json"), "utf8"));

/** `require` for the bundled CommonJS code and for requireCommonJs below. */
const banner = { js: 'import { createRequire as __fapCreateRequire } from "node:module";\nconst require = __fapCreateRequire(import.meta.url);' };

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: `node${engines.node.replace(/^>=\s*/, "")}`,
  logLevel: "warning",
  // Whitespace and comments out, shorter syntax; names kept (stack traces, error classes). V8
  // parses every file it loads before running it: ~20 ms of CPU less per run at one host.
  // Stack traces map back to the TypeScript sources with --debug (packages/cli/bin/fap.js).
  minifyWhitespace: true,
  minifySyntax: true,
  // What each bundle holds, for the licenses of the packages inside it (bundle-notices.mjs).
  metafile: true,
};

/**
 * Writes `outfile`, an entry of a package whose code is all in one bundle beside it: one line
 * re-exporting from `bundle` the runtime names (types have none) `entry` exports, as
 * esbuild sees them. Both entries then share one instance of each module.
 */
async function writeReexport(entry, outfile, bundle, what) {
  const names = await exportedNames(entry);
  writeFileSync(outfile, `// ${what}, from the one bundle (scripts/bundle.mjs).\nexport { ${names.join(", ")} } from "./${bundle}";\n`);
}

/**
 * Writes `outfile`, an ES module that loads `bundle`, a CommonJS file beside it, with a code
 * cache (@fap/core's code-cache.ts, imported from `codeCache`: bundled in when it is a path)
 * and exports the names `entry` exports.
 */
async function writeCodeCacheLoader(entry, outfile, bundle, codeCache) {
  const names = await exportedNames(entry);
  await build({
    ...common,
    metafile: false,
    packages: "external",
    stdin: {
      contents: `import { fileURLToPath } from "node:url";
import * as codeCache from ${JSON.stringify(codeCache)};
export const { ${names.join(", ")} } = codeCache.requireWithCodeCache(fileURLToPath(new URL(${JSON.stringify(`./${bundle}`)}, import.meta.url)), codeCache.codeCacheDir());`,
      resolveDir: path.dirname(entry),
      loader: "js",
    },
    outfile,
    sourcemap: true,
  });
}

/** The runtime names (types have none) an ES module exports, as esbuild sees them. */
async function exportedNames(entry) {
  const { metafile } = await build({ ...common, packages: "external", entryPoints: [entry], write: false, outdir: "/" });
  return Object.values(metafile.outputs).flatMap((output) => output.exports ?? []).sort();
}

/**
 * Imports of these external CommonJS packages become require() calls (see above): each is a
 * module exporting what require() returns, as default and by name (the names are read here,
 * from the package as installed), so that named and dynamic imports keep working.
 */
function requireCommonJs(names) {
  const filter = new RegExp(`^(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|")})$`);
  return {
    name: "require-common-js",
    setup(build) {
      build.onResolve({ filter }, (args) =>
        args.namespace === "require-common-js" ? { path: args.path, external: true } : { path: args.path, namespace: "require-common-js", pluginData: args.resolveDir },
      );
      build.onLoad({ filter: /.*/, namespace: "require-common-js" }, (args) => {
        const exported = createRequire(path.join(args.pluginData, "index.js"))(args.path);
        const named = Object.keys(exported).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== "default");
        const specifier = JSON.stringify(args.path);
        return {
          contents: `const m = require(${specifier});\nexport default m;\n${named.length ? `export const { ${named.join(", ")} } = m;\n` : ""}`,
          loader: "js",
          resolveDir: args.pluginData,
        };
      });
    },
  };
}

/**
 * Every package import stays external but `names` (and what they import), which are bundled.
 * (esbuild's `packages: "external"` has no exceptions.)
 */
function externalPackagesBut(names) {
  return {
    name: "external-packages-but",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        const name = args.path.startsWith("@") ? args.path.split("/").slice(0, 2).join("/") : args.path.split("/")[0];
        return names.includes(name) ? undefined : { path: args.path, external: true };
      });
    },
  };
}

// @fap/core. Its two runtime dependencies are bundled in: tapable would be 15 CommonJS files
// (its index loads every kind of hook; core uses one), p-limit 2 ES modules; ~6 ms of CPU. They
// stay listed in its package.json, for the types its .d.ts files name and for dist/*.js.
// Its code is CommonJS, dist/fap-core.cjs, so that it can be loaded with a code cache (an ES
// module cannot have one on Node 20): ~8 ms of CPU less per deploy. dist/fap-core.js (the
// `./internal` export) is an ES module that loads it so and exports its names.
const core = await build({
  ...common,
  format: "cjs",
  plugins: [externalPackagesBut(["tapable", "p-limit", "yocto-queue"])],
  entryPoints: [path.join(CORE, "dist/internal.js")],
  outfile: path.join(CORE, "dist/fap-core.cjs"),
  sourcemap: true,
  sourcesContent: true, // bundled dependencies (semver, ssh-config...) are not shipped as files: their text rides in the map
});
await writeCodeCacheLoader(path.join(CORE, "dist/internal.js"), path.join(CORE, "dist/fap-core.js"), "fap-core.cjs", "./code-cache.js");

await writeReexport(path.join(CORE, "dist/index.js"), path.join(CORE, "dist/fap-core-public.js"), "fap-core.js", "@fap/core: the plugin-author API (src/index.ts)");
writeNotices(CORE, [core]);

// @fap/ssh, and its copy of ssh2's client (dist/fap-ssh2.cjs). Its code is CommonJS too,
// dist/fap-ssh.cjs, loaded with a code cache by dist/fap-ssh.js, as @fap/core's is: ~5 ms of
// CPU less per run. It requires @fap/core/internal as CommonJS, the very file core's loader
// loaded (the "require" condition of that export).
const ssh2Copy = await bundleSsh2Copy(SSH, common);
const ssh = await build({
  ...common,
  format: "cjs",
  external: ["@fap/core", "@fap/core/*"],
  plugins: [ssh2ClientOnly()],
  entryPoints: [path.join(SSH, "dist/index.js")],
  outfile: path.join(SSH, "dist/fap-ssh.cjs"),
  sourcemap: true,
  sourcesContent: true, // bundled dependencies (semver, ssh-config...) are not shipped as files: their text rides in the map
});
await writeCodeCacheLoader(path.join(SSH, "dist/index.js"), path.join(SSH, "dist/fap-ssh.js"), "fap-ssh.cjs", "@fap/core/internal");
writeNotices(SSH, [ssh2Copy, ssh]);

// The first-party plugins, each to the file its package.json exports (checked here, so the two
// cannot drift apart).
for (const name of readdirSync(path.join(ROOT, "packages")).filter((dir) => dir.startsWith("plugin-"))) {
  const dir = path.join(ROOT, "packages", name);
  const outfile = `./dist/fap-${name}.js`;
  const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  if (manifest.exports?.["."]?.default !== outfile || manifest.main !== outfile) {
    throw new Error(`${name}/package.json: its "." export and main should be ${outfile}, the bundle scripts/bundle.mjs writes`);
  }
  const plugin = await build({
    ...common,
    packages: "external",
    entryPoints: [path.join(dir, "dist/index.js")],
    outfile: path.join(dir, outfile),
    sourcemap: true,
    sourcesContent: true,
  });
  writeNotices(dir, [plugin]);
}

// @fap/cli: one file, dist/fap-cli.js, side by side with tsc's output in dist/, as its
// `../package.json` (the version) must stay the package's. Each command's code is still run
// only when the command is (esbuild wraps every module in its own init function, called at its
// import); only its parsing is paid by every command. Split into chunks by lazy import, the
// CLI was ~45 ES modules, 25 of them loaded by a deploy: ~35 ms of CPU more per run on Node 20
// (each ES module costs a resolve, an async read, a link and an evaluation) against ~15 ms
// less for `fap --help`. `fap --version` alone never loads it (bin/fap.js). The package's
// entries ("." with the bin's `main`, and "./run") are one-line re-exports of it: one instance
// of each module, whichever a process imports first (a deploy.config.ts imports "@fap/cli").
for (const file of readdirSync(path.join(CLI, "dist"))) {
  if (file.startsWith("fap-cli")) rmSync(path.join(CLI, "dist", file));
}
const CLI_ENTRIES = { "fap-cli-index": "index.js", "fap-cli-run": "run.js" };
const cli = await build({
  ...common,
  banner,
  external: ["@fap/core", "@fap/core/*", "@fap/ssh", "typescript"],
  plugins: [requireCommonJs(["cosmiconfig", "jiti"])],
  stdin: { contents: Object.values(CLI_ENTRIES).map((file) => `export * from "./dist/${file}";`).join("\n"), resolveDir: CLI, loader: "js" },
  outfile: path.join(CLI, "dist/fap-cli.js"),
  sourcemap: true,
  sourcesContent: true, // bundled dependencies (commander, yaml, semver...) are not shipped as files: their text rides in the map
});
if (process.env.FAP_BUNDLE_META) writeFileSync(process.env.FAP_BUNDLE_META, JSON.stringify(cli.metafile));
writeNotices(CLI, [cli]);
for (const [name, file] of Object.entries(CLI_ENTRIES)) {
  await writeReexport(path.join(CLI, "dist", file), path.join(CLI, "dist", `${name}.js`), "fap-cli.js", `@fap/cli's ${file}`);
}
