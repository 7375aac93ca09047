#!/usr/bin/env node
// Run by `lerna version` (the root "version" script) after it bumped every package: lerna
// updates exact dependencies on @fap/core but leaves peer ranges alone, so a plugin's
// peerDependencies["@fap/core"] and its "fap": { "core": ... } would still name the old line
// after a breaking bump. Widens nothing: a range is rewritten only when the new core is outside it.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import semver from "semver";

const root = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, ".."));
const core = JSON.parse(readFileSync(path.join(root, "packages/core/package.json"), "utf8")).version;
const range = `^${core}`;

const manifests = ["packages", "examples"].flatMap((folder) =>
  existsSync(path.join(root, folder))
    ? readdirSync(path.join(root, folder)).map((name) => path.join(root, folder, name, "package.json")).filter(existsSync)
    : [],
);

const changed = [];
for (const file of manifests) {
  const text = readFileSync(file, "utf8");
  const pkg = JSON.parse(text);
  let next = text;
  // Edit the text, not a re-serialised object, so the file keeps its layout.
  const peer = pkg.peerDependencies?.["@fap/core"];
  if (peer && !semver.satisfies(core, peer)) {
    next = next.replace(/("peerDependencies"\s*:\s*\{[^}]*"@fap\/core"\s*:\s*)"[^"]*"/, `$1"${range}"`);
  }
  // Examples are not versioned by lerna: their ranges on every @fap package follow here too.
  if (file.includes(`${path.sep}examples${path.sep}`)) {
    for (const section of ["dependencies", "devDependencies"]) {
      for (const [name, spec] of Object.entries(pkg[section] ?? {})) {
        if (name.startsWith("@fap/") && semver.validRange(spec) && !semver.satisfies(core, spec)) {
          next = next.replace(new RegExp(`("${section}"\\s*:\\s*\\{[^}]*"${name}"\\s*:\\s*)"[^"]*"`), `$1"${range}"`);
        }
      }
    }
  }
  const fap = pkg.fap?.core;
  if (fap && !semver.satisfies(core, fap)) next = next.replace(/("fap"\s*:\s*\{[^}]*"core"\s*:\s*)"[^"]*"/, `$1"${range}"`);
  if (next !== text) {
    writeFileSync(file, next);
    changed.push(path.relative(root, file));
  }
}
if (changed.length > 0) {
  console.log(`@fap/core ${core}: set ${range} in ${changed.join(", ")}`);
  if (process.env.npm_lifecycle_event === "version" && existsSync(path.join(root, ".git"))) {
    execFileSync("git", ["add", "--", ...changed], { cwd: root, stdio: "inherit" });
  }
}
