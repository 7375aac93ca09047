#!/usr/bin/env node
// Lists the mutants a Stryker run left alive, each with the exact source text it replaced:
//
//   node scripts/mutation-survivors.mjs [reports/mutation/mutation.json] [--under packages/ssh/src/known-hosts]
//
// Stryker's reports name a mutant by where it starts (`file:line:column`), and several mutants
// often start at the same place: at `p === "" || p.startsWith("!") || /x/.test(p)`, "false"
// replaces the whole condition in one mutant, its first two terms in another and `p === ""` in a
// third. Applying "the mutant at 44:28 made false" by hand to check it then tests another mutant
// than the one that survived; this prints the replaced text, so the check applies the right one.
import fs from "node:fs";

const args = process.argv.slice(2);
const underAt = args.indexOf("--under");
const under = underAt === -1 ? undefined : args.splice(underAt, 2)[1];
const report = JSON.parse(fs.readFileSync(args[0] ?? "reports/mutation/mutation.json", "utf8"));
const alive = new Set(["Survived", "NoCoverage"]);

for (const [file, { source, mutants }] of Object.entries(report.files)) {
  if (under !== undefined && !file.includes(under)) continue;
  const lines = source.split("\n");
  const replaced = ({ start, end }) => {
    if (start.line === end.line) return lines[start.line - 1].slice(start.column - 1, end.column - 1);
    const text = [lines[start.line - 1].slice(start.column - 1), ...lines.slice(start.line, end.line - 1), lines[end.line - 1].slice(0, end.column - 1)];
    return text.join("\n");
  };
  for (const mutant of mutants.filter((m) => alive.has(m.status))) {
    const { start, end } = mutant.location;
    const original = replaced(mutant.location).replace(/\s+/g, " ");
    const shown = (text) => (text.length > 100 ? `${text.slice(0, 97)}...` : text);
    console.log(`${file}:${start.line}:${start.column}-${end.line}:${end.column} ${mutant.status} ${mutant.mutatorName} #${mutant.id}`);
    console.log(`    ${shown(original)}\n => ${shown(mutant.replacement.replace(/\s+/g, " "))}`);
  }
}
