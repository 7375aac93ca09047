#!/usr/bin/env node
// Bundles @fap/core's compiled modules (dist/*.js, from `tsc -b`) into one file, dist/fap-core.js,
// which its package.json exports. Node loads fifty-odd small ES modules one by one, which made
// importing @fap/core take about 40 ms of every run's start; one file takes about 17 ms.
// Dependencies stay external, so every package that imports @fap/core shares the one bundle.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CORE = path.join(ROOT, "packages/core");
const { engines } = JSON.parse(readFileSync(path.join(CORE, "package.json"), "utf8"));

await build({
  entryPoints: [path.join(CORE, "dist/index.js")],
  outfile: path.join(CORE, "dist/fap-core.js"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: `node${engines.node.replace(/^>=\s*/, "")}`,
  packages: "external",
  sourcemap: true,
  sourcesContent: false,
  logLevel: "warning",
});
