#!/usr/bin/env node
// Makes the next `stryker run --incremental` test again the mutants of the given statuses (by
// default "Timeout"), by dropping them from the incremental file. Stryker scores a timed-out
// mutant as detected; on a loaded machine a mutant whose tests only ran slowly times out too,
// so timeouts are worth a second run on a quiet one.
//
//   node scripts/mutation-retest.mjs [--file F] [--under packages/core/src/lock] [Timeout ...]
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  options: {
    file: { type: "string", default: "reports/mutation/stryker-incremental.json" },
    // Only the mutants of files whose path starts with one of these (a real hang costs the whole
    // timeout again, so retest where it matters).
    under: { type: "string", multiple: true, default: [""] },
  },
  allowPositionals: true,
});
const statuses = new Set(positionals.length > 0 ? positionals : ["Timeout"]);
const report = JSON.parse(readFileSync(values.file, "utf8"));
let dropped = 0;
for (const [name, file] of Object.entries(report.files)) {
  if (!values.under.some((prefix) => name.startsWith(prefix))) continue;
  const kept = file.mutants.filter((mutant) => !statuses.has(mutant.status));
  if (kept.length !== file.mutants.length) console.log(`${name}: ${file.mutants.length - kept.length}`);
  dropped += file.mutants.length - kept.length;
  file.mutants = kept;
}
writeFileSync(values.file, JSON.stringify(report));
console.log(`${dropped} mutant(s) (${[...statuses].join(", ")}) will be tested again by the next --incremental run`);
