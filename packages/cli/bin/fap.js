#!/usr/bin/env node
// Committed as plain JS so npm links the bin before dist/ exists; the CLI itself is in dist/.
// `fap --version` alone is answered here without loading the CLI (commander, the command
// table), as the same text commander prints: scripts and shells ask it most often.
import { readFileSync } from "node:fs";
import module from "node:module";
import os from "node:os";
import path from "node:path";

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version}\n`);
} else {
  // Node 22.1 and later keep V8's compiled code of the modules they load. The cache lives in the
  // user's own cache folder, not in a shared temp folder, where another user could plant
  // compiled code. Node 20 has no such cache: there this does nothing (@fap/core and @fap/ssh
  // keep their own there on any Node: code-cache.ts). NODE_DISABLE_COMPILE_CACHE=1 turns both
  // off. The folder is codeCacheDir() of @fap/core, worked out here so that nothing is loaded
  // before the cache is on.
  const cacheRoot = process.env.FAP_CACHE_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "fap");
  module.enableCompileCache?.(path.join(cacheRoot, "v8"));
  // The bundles are minified (scripts/bundle.mjs): with --debug, stacks name the TypeScript
  // sources through the bundles' source maps. Only then: Node reads each map as its bundle
  // loads (0 to 30 ms more for a dry run here).
  if (args.includes("--debug")) process.setSourceMapsEnabled(true);
  import("../dist/fap-cli.js").then(({ main }) => main(args));
}
