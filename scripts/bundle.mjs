#!/usr/bin/env node
// Bundles the compiled modules (dist/*.js, from `tsc -b`) of @fap/core, @fap/ssh and @fap/cli,
// so that `fap` loads a few files instead of some 280: Node loads ES modules one by one, and
// each costs a resolve, a read and a compile.
//
// - @fap/core: dist/fap-core.js, exported as `@fap/core/internal`. `@fap/core` itself (the
//   plugin-author API, src/index.ts) is dist/fap-core-public.js: a single line re-exporting its
//   names from dist/fap-core.js, so both entries share one module instance (one FapError class,
//   one hook registry) and no code is bundled twice. Its dependencies stay external, so every
//   package that imports @fap/core shares the one bundle.
// - @fap/ssh: dist/fap-ssh.js; @fap/core and ssh2 stay external (ssh2 loads native addons
//   from paths relative to its own files), and ssh2 is required part by part, as used
//   (bundle-ssh2-client.mjs).
// - each first-party plugin (packages/plugin-*): dist/fap-plugin-<name>.js, its "." export,
//   with every package it imports (@fap/core, execa, semver...) external: a config naming it
//   loads one file instead of its 6 to 16 (plugin-git: ~10 ms of CPU less per run).
// - @fap/cli: dist/fap-cli-{main,index,run}.js and the chunks they share or load lazily
//   (each command's code, the YAML parser, the HTML report...), with commander, yaml and semver
//   inside: Node loads each of them as dozens of CommonJS files. @fap/core and @fap/ssh stay
//   external (one instance, shared with plugins); so do cosmiconfig and jiti, which load files
//   of their own by path.
//
// A CommonJS package left external is loaded with require(), not import: importing CommonJS
// from an ES module makes Node scan its source for export names first (jiti: 60 ms instead of
// 20).
import { readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { ssh2ClientOnly } from "./bundle-ssh2-client.mjs";

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
};

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
await build({
  ...common,
  banner,
  plugins: [externalPackagesBut(["tapable", "p-limit", "yocto-queue"])],
  entryPoints: [path.join(CORE, "dist/internal.js")],
  outfile: path.join(CORE, "dist/fap-core.js"),
  sourcemap: true,
  sourcesContent: true, // bundled dependencies (semver, ssh-config...) are not shipped as files: their text rides in the map
});

// The public entry's runtime names (types have none), as esbuild sees them.
const { metafile } = await build({
  ...common,
  packages: "external",
  entryPoints: [path.join(CORE, "dist/index.js")],
  outfile: path.join(CORE, "dist/fap-core-public.js"),
  write: false,
  metafile: true,
});
const names = Object.values(metafile.outputs).flatMap((output) => output.exports ?? []);
writeFileSync(
  path.join(CORE, "dist/fap-core-public.js"),
  `// @fap/core: the plugin-author API (src/index.ts), from the one bundle (scripts/bundle.mjs).\nexport { ${names.sort().join(", ")} } from "./fap-core.js";\n`,
);

// @fap/ssh
await build({
  ...common,
  banner,
  external: ["@fap/core", "@fap/core/*"],
  plugins: [ssh2ClientOnly()],
  entryPoints: [path.join(SSH, "dist/index.js")],
  outfile: path.join(SSH, "dist/fap-ssh.js"),
  sourcemap: true,
  sourcesContent: true, // bundled dependencies (semver, ssh-config...) are not shipped as files: their text rides in the map
});

// The first-party plugins, each to the file its package.json exports (checked here, so the two
// cannot drift apart).
for (const name of readdirSync(path.join(ROOT, "packages")).filter((dir) => dir.startsWith("plugin-"))) {
  const dir = path.join(ROOT, "packages", name);
  const outfile = `./dist/fap-${name}.js`;
  const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  if (manifest.exports?.["."]?.default !== outfile || manifest.main !== outfile) {
    throw new Error(`${name}/package.json: its "." export and main should be ${outfile}, the bundle scripts/bundle.mjs writes`);
  }
  await build({
    ...common,
    packages: "external",
    entryPoints: [path.join(dir, "dist/index.js")],
    outfile: path.join(dir, outfile),
    sourcemap: true,
    sourcesContent: true,
  });
}

// @fap/cli: its entries side by side with tsc's output in dist/, as their `../package.json`
// (the version) must stay the package's; the chunks of an earlier build go first.
for (const file of readdirSync(path.join(CLI, "dist"))) {
  if (file.startsWith("fap-cli-")) rmSync(path.join(CLI, "dist", file));
}
const cli = await build({
  ...common,
  banner,
  metafile: true,
  external: ["@fap/core", "@fap/core/*", "@fap/ssh", "typescript"],
  plugins: [requireCommonJs(["cosmiconfig", "jiti"])],
  entryPoints: { "fap-cli-main": path.join(CLI, "dist/main.js"), "fap-cli-index": path.join(CLI, "dist/index.js"), "fap-cli-run": path.join(CLI, "dist/run.js") },
  outdir: path.join(CLI, "dist"),
  splitting: true,
  chunkNames: "fap-cli-chunk-[hash]",
  sourcemap: true,
  sourcesContent: true, // bundled dependencies (semver, ssh-config...) are not shipped as files: their text rides in the map
});
if (process.env.FAP_BUNDLE_META) writeFileSync(process.env.FAP_BUNDLE_META, JSON.stringify(cli.metafile));
