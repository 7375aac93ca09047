#!/usr/bin/env node
// The physical limit (variant d): one ssh2 connection per host, all hosts in parallel, ONE shell
// script per host doing a deploy's work: fetch the branch into a bare mirror, archive it into a
// new release, write REVISION, switch `current` atomically, keep the newest N releases. It
// uses the cheapest git set-up fap found (no sample hooks, the fetched pack kept whole), so
// that fap is never measured against a slower limit than it could be.
// Usage: node limit-deploy.mjs JOB.json  with {hosts:[{host,port}], user, identityFile, path, repo, branch, keep}
import { readFileSync, writeFileSync } from "node:fs";
import ssh2 from "ssh2";

const SCRIPT = String.raw`set -e
D=$1 REPO=$2 BRANCH=$3 KEEP=$4
mkdir -p "$D/releases"
[ -d "$D/repo" ] || git init -q --bare --template= "$D/repo"
cd "$D/repo"
git -c fetch.unpackLimit=1 fetch -q --depth 1 "$REPO" "+refs/heads/$BRANCH:refs/heads/$BRANCH"
SHA=$(git rev-parse "refs/heads/$BRANCH")
R=$(date -u +%Y%m%d-%H%M%S)
[ ! -e "$D/releases/$R" ] || R="$R-$$"
mkdir "$D/releases/$R"
git archive "$SHA" | tar -x -C "$D/releases/$R"
echo "$SHA" > "$D/releases/$R/REVISION"
ln -sfn "releases/$R" "$D/.current.tmp"
mv -Tf "$D/.current.tmp" "$D/current"
cd "$D/releases"
ls -1 | sort | head -n -"$KEEP" | xargs -r rm -rf --
`;

const quote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

function deployOne(job, target, privateKey) {
  const command = ["sh", "-c", SCRIPT, "limit", job.path, job.repo, job.branch, job.keep].map(quote).join(" ");
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    const fail = (error) => {
      client.end();
      reject(new Error(`${target.host}:${target.port}: ${error.message}`));
    };
    client.on("error", fail);
    client.on("ready", () => {
      client.exec(command, (error, stream) => {
        if (error) return fail(error);
        let stderr = "";
        stream.stderr.on("data", (c) => (stderr += c));
        stream.resume();
        stream.on("close", (code) => {
          client.end();
          if (code === 0) resolve();
          else reject(new Error(`${target.host}:${target.port}: exit ${code}: ${stderr.trim()}`));
        });
      });
    });
    client.connect({ host: target.host, port: target.port, username: job.user, privateKey, hostVerifier: () => true, readyTimeout: 60_000 });
    client.setNoDelay(true);
  });
}

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
if (process.env.BENCH_PROBE_OUT) {
  // The same figures the probe takes of fap: this process's CPU time and peak RSS.
  process.on("exit", () => {
    const usage = process.resourceUsage();
    writeFileSync(process.env.BENCH_PROBE_OUT, JSON.stringify({ maxRssKiB: usage.maxRSS, cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000) }));
  });
}
const privateKey = readFileSync(job.identityFile);
const results = await Promise.allSettled(job.hosts.map((target) => deployOne(job, target, privateKey)));
const failed = results.filter((r) => r.status === "rejected");
for (const f of failed) console.error(f.reason.message);
process.exit(failed.length ? 1 : 0);
