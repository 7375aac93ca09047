#!/usr/bin/env node
// npm run bench [-- --hosts 1,10 --runs 3 ...]: deploy wall time of fap vs Capistrano 3, Shipit 5
// and a one-script-per-host limit, on H real loopback sshd hosts; fap's round trips per host,
// peak RSS, start-up times, 100 MB of one command's output, and a 200-host memory run. Writes bench/results/results-<date>.{json,md}.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "./lib/args.mjs";
import { benchHostCount } from "./lib/deploy-bench.mjs";
import { describeEnvironment } from "./lib/environment.mjs";
import { benchMemory } from "./lib/memory-bench.mjs";
import { benchOutput } from "./lib/output-bench.mjs";
import { ROOT } from "./lib/paths.mjs";
import { renderMarkdown } from "./lib/report.mjs";
import { benchStartup } from "./lib/startup-bench.mjs";

const options = parseArgs(process.argv.slice(2));
if (options.render) {
  const file = path.resolve(options.render);
  writeFileSync(file.replace(/\.json$/, ".md"), renderMarkdown(JSON.parse(readFileSync(file, "utf8"))));
  process.exit(0);
}
const started = Date.now();
const log = (line) => console.error(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const result = { date: new Date().toISOString(), options, environment: describeEnvironment(), deploy: [] };

function write() {
  const day = result.date.slice(0, 10);
  const name = options.full ? `results-${day}` : `results-${day}-hosts-${options.hosts.join("-")}-runs-${options.runs}`;
  const dir = path.resolve(ROOT, options.out);
  mkdirSync(dir, { recursive: true });
  result.loadEnd = os.loadavg();
  result.durationS = Math.round((Date.now() - started) / 1000);
  writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  const markdown = renderMarkdown(result);
  writeFileSync(path.join(dir, `${name}.md`), markdown);
  return { markdown, file: path.join(dir, `${name}.md`) };
}

for (const hosts of options.hosts) {
  result.deploy.push(await benchHostCount(hosts, { runs: options.runs, variants: options.variants, log }));
  write(); // partial results survive an interrupted run
}
if (options.startupRuns > 0) result.startup = await benchStartup({ runs: options.startupRuns, log });
if (options.outputMb > 0) result.output = await benchOutput({ mb: options.outputMb, runs: options.outputRuns, log });
if (options.memoryHosts > 0) result.memory = await benchMemory({ hosts: options.memoryHosts, sshd: options.memorySshd, log });

const { markdown, file } = write();
console.log(markdown);
log(`wrote ${file} and .json in ${result.durationS} s`);
