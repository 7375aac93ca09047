#!/usr/bin/env node
// npm run bench:upload [-- --mb 200 --files 5000 --hosts 10 --runs 3]: @fap/plugin-upload vs
// `tar | ssh` per host and rsync over OpenSSH (see lib/upload-bench.mjs). Also run by
// `npm run bench -- --upload`. Writes bench/results/results-<date>-upload-<mb>mb-<files>-files-<hosts>-hosts.{json,md}.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describeEnvironment } from "./lib/environment.mjs";
import { ROOT } from "./lib/paths.mjs";
import { benchUpload } from "./lib/upload-bench.mjs";
import { renderUpload } from "./lib/upload-report.mjs";

const options = { mb: 200, files: 5000, hosts: 10, runs: 3, out: "bench/results" };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const [flag, inline] = argv[i].split("=", 2);
  const key = flag.replace(/^--/, "");
  if (!(key in options)) throw new Error(`unknown option ${argv[i]}; options: ${Object.keys(options).map((k) => `--${k}`).join(" ")}`);
  const value = inline ?? argv[++i];
  options[key] = key === "out" ? value : Number(value);
}
const started = Date.now();
const log = (line) => console.error(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const upload = await benchUpload({ ...options, log });
const result = { date: new Date().toISOString(), options, environment: describeEnvironment(), loadEnd: os.loadavg(), upload };
const name = `results-${result.date.slice(0, 10)}-upload-${options.mb}mb-${options.files}-files-${options.hosts}-hosts`;
const dir = path.resolve(ROOT, options.out);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
const markdown = [`# Upload bench ${result.date.slice(0, 10)}`, "", ...renderUpload(upload)].join("\n");
writeFileSync(path.join(dir, `${name}.md`), markdown);
console.log(markdown);
log(`wrote ${path.join(dir, name)}.{json,md}`);
