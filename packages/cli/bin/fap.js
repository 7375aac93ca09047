#!/usr/bin/env node
// Committed as plain JS so npm links the bin before dist/ exists; the CLI itself is in dist/.
// `fap --version` alone is answered here without loading the CLI (commander, the command
// table), as the same text commander prints: scripts and shells ask it most often.
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version}\n`);
} else {
  import("../dist/fap-cli-main.js").then(({ main }) => main(args));
}
