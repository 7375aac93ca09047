#!/usr/bin/env node
// Bundles @fap/core's compiled modules (dist/*.js, from `tsc -b`) into one file, dist/fap-core.js,
// which its package.json exports as `@fap/core/internal`. Node loads fifty-odd small ES modules
// one by one, which made importing @fap/core take about 40 ms of every run's start; one file
// takes about 17 ms. Dependencies stay external, so every package that imports @fap/core shares
// the one bundle.
//
// `@fap/core` itself (the plugin-author API, src/index.ts) is dist/fap-core-public.js: a single
// line re-exporting its names from dist/fap-core.js, so both entries share one module instance
// (one FapError class, one hook registry) and no code is bundled twice.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CORE = path.join(ROOT, "packages/core");
const { engines } = JSON.parse(readFileSync(path.join(CORE, "package.json"), "utf8"));

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: `node${engines.node.replace(/^>=\s*/, "")}`,
  packages: "external",
  logLevel: "warning",
};

await build({
  ...common,
  entryPoints: [path.join(CORE, "dist/internal.js")],
  outfile: path.join(CORE, "dist/fap-core.js"),
  sourcemap: true,
  sourcesContent: false,
});

// The public entry's runtime names (types have none), as esbuild sees them.
const { metafile } = await build({
  ...common,
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
