#!/usr/bin/env node
// Committed as plain JS so npm links the bin before dist/ exists; the CLI itself is in dist/.
import("../dist/main.js").then(({ main }) => main(process.argv.slice(2)));
