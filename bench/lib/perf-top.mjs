#!/usr/bin/env node
// Where a process's CPU went, from a `perf record` of cpu-bench.mjs --perf (on-CPU samples only;
// node ran with --perf-basic-prof --interpreted-frames-native-stack, so JavaScript frames have
// names). The JavaScript thread's samples are put under the innermost frame of fap's own
// packages, else of ssh2, else module loading, garbage collection or other; the other threads
// (V8's compiler and GC helpers, libuv's pool) are counted apart. Async stacks end at each
// await, so a package's share is what its code ran itself (and what it called synchronously).
//
//   perf script -i FILE.perf.data -F tid,ip,sym > FILE.txt && node bench/lib/perf-top.mjs FILE.txt [N]
import { readFileSync } from "node:fs";

const [file, top = "40"] = process.argv.slice(2);
const samples = readFileSync(file, "utf8")
  .split("\n\n")
  .map((block) => block.trim().split("\n"))
  .filter((lines) => lines[0] !== "")
  .map(([tid, ...frames]) => ({ tid: tid.trim(), frames: frames.map((f) => f.trim().replace(/^[0-9a-f]+\s+/, "")) }));
const perThread = new Map();
for (const s of samples) perThread.set(s.tid, (perThread.get(s.tid) ?? 0) + 1);
const main = [...perThread].sort((a, b) => b[1] - a[1])[0][0];

const count = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
const byPackage = new Map();
const byFunction = new Map();
const otherThreads = new Map();
const name = (frame) => frame.replace(/^JS:[*~^+]?/, "").replace(/file:\/\/\S*?\/(packages|node_modules)\//, "").replace(/\s\/\S*\/node_modules\//, " ");
for (const { tid, frames } of samples) {
  const text = frames.join("\n");
  if (tid !== main) {
    count(otherThreads, /compiler::|Compil|Turbofan|Pipeline/.test(text) ? "JIT compiler" : /Marking|Scaveng|Sweep|Heap|Evacuat/.test(text) ? "garbage collector" : "other");
    continue;
  }
  // ssh2's client is @fap/ssh's copy of it (dist/fap-ssh2.cjs), counted as ssh2.
  const ssh2 = frames.find((f) => /node_modules\/ssh2\/|\/fap-ssh2\.cjs/.test(f));
  const fap = frames.find((f) => /packages\/(core|ssh|cli|plugin-[a-z-]+)\/dist/.test(f) && !/\/fap-ssh2\.cjs/.test(f));
  if (fap) {
    count(byPackage, fap.match(/packages\/([a-z-]+)\//)[1]);
    count(byFunction, name(fap));
  } else if (ssh2) {
    count(byPackage, "ssh2");
    count(byFunction, name(ssh2));
  } else if (/modules\/(esm|cjs)|ModuleWrap|bootstrap|CompileFunction/.test(text)) count(byPackage, "module loading");
  else if (/Scavenge|MarkCompact|Heap::Collect/.test(text)) count(byPackage, "garbage collector");
  else count(byPackage, "other (node, libc, kernel)");
}
const show = (title, map, n = Infinity) => {
  console.log(title);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${String(v).padStart(7)}  ${k}`);
};
console.log(`${samples.length} samples; JavaScript thread ${perThread.get(main)}`);
show("\nJavaScript thread, by package", byPackage);
show("\nother threads", otherThreads);
show("\nJavaScript thread, by innermost function of fap or ssh2", byFunction, Number(top));
