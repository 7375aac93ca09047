#!/usr/bin/env node
// Committed as plain JS so npm links the bin before dist/ exists; the code is in dist/.
import("../dist/main.js").then(({ main }) => main(process.argv.slice(2)).then((code) => (process.exitCode = code)));
