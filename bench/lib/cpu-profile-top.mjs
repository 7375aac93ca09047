#!/usr/bin/env node
// The top of a `node --cpu-prof` profile, as text: self time per function and per file, and
// total (inclusive) time per function, so a profile of fap can be read and compared in a terminal.
//
//   node bench/lib/cpu-profile-top.mjs FILE.cpuprofile [N]
import { readFileSync } from "node:fs";

const [file, top = "30"] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, "utf8"));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Each sample's time is the delta that follows it.
const selfUs = new Map();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0)));
const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);

const short = (url) => url.replace(/^file:\/\//, "").replace(/^.*\/(packages|node_modules)\//, "$1/");
const label = (n) => `${n.callFrame.functionName || "(anonymous)"} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const bySelf = new Map();
const byFile = new Map();
const byTotal = new Map();
for (const [id, us] of selfUs) {
  const n = nodes.get(id);
  bySelf.set(label(n), (bySelf.get(label(n)) ?? 0) + us);
  const f = short(n.callFrame.url) || n.callFrame.functionName;
  byFile.set(f, (byFile.get(f) ?? 0) + us);
  // Inclusive: every distinct frame on the stack, counted once per sample.
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const l = label(nodes.get(at));
    if (seen.has(l)) continue;
    seen.add(l);
    byTotal.set(l, (byTotal.get(l) ?? 0) + us);
  }
}

const print = (title, map) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
    console.log(`${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / totalUs).toFixed(1).padStart(5)}%  ${k}`);
  }
};
console.log(`${file}: ${(totalUs / 1000).toFixed(0)} ms sampled`);
print("self time by function", bySelf);
print("self time by file", byFile);
print("total time by function", byTotal);
