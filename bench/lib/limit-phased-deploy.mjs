#!/usr/bin/env node
// The limit with fap's guarantees (variant e): the same work as limit-deploy.mjs over one ssh2
// connection per host, but in the four steps fap's guarantees need on a run of several hosts,
// each a barrier across hosts, as fap's are:
//   1. take a lock and read the releases (no host is touched before every host is locked);
//   2. one release id free on EVERY host, then make that release: fetch, archive, REVISION;
//   3. switch `current` (only once every host holds a whole release);
//   4. prune and unlock (only once every host has switched, so a failed switch can put the
//      others back).
// fap against this script tells fap's own cost from what the guarantees cost on this machine,
// where every host's sshd and shell share the same cores.
// Usage: node limit-phased-deploy.mjs JOB.json  (the job of limit-deploy.mjs)
import { connect, exec, exitWith, readJob, recordUsageAtExit, shScript } from "./limit-ssh.mjs";

const LOCK = String.raw`set -e
D=$1
mkdir -p "$D/releases"
mkdir "$D/.lock"
ls -1 "$D/releases"`;

const RELEASE = String.raw`set -e
D=$1 REPO=$2 BRANCH=$3 R=$4
[ -d "$D/repo" ] || git init -q --bare --template= "$D/repo"
cd "$D/repo"
git -c fetch.unpackLimit=1 fetch -q --depth 1 "$REPO" "+refs/heads/$BRANCH:refs/heads/$BRANCH"
SHA=$(git rev-parse "refs/heads/$BRANCH")
mkdir "$D/releases/$R"
git archive "$SHA" | tar -x -C "$D/releases/$R"
echo "$SHA" > "$D/releases/$R/REVISION"`;

const SWITCH = String.raw`set -e
D=$1 R=$2
ln -sfn "releases/$R" "$D/.current.tmp"
mv -Tf "$D/.current.tmp" "$D/current"`;

const FINISH = String.raw`set -e
D=$1 KEEP=$2
cd "$D/releases"
ls -1 | sort | head -n -"$KEEP" | xargs -r rm -rf --
rmdir "$D/.lock"`;

/** Runs one step on every host at once; the next step starts when all have answered. */
async function step(hosts, command) {
  const results = await Promise.allSettled(hosts.map(({ client, target }) => exec(client, target, command(target))));
  if (results.some((r) => r.status === "rejected")) exitWith(results);
  return results.map((r) => r.value);
}

/** A timestamp id no host holds yet. */
function freeReleaseId(listings) {
  const taken = new Set(listings.flatMap((l) => l.split("\n")));
  const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(2, 14);
  let id = stamp;
  for (let n = 2; taken.has(id); n++) id = `${stamp}-${n}`;
  return id;
}

recordUsageAtExit();
const { job, privateKey } = readJob();
const opened = await Promise.allSettled(job.hosts.map(async (target) => ({ target, client: await connect(target, job.user, privateKey) })));
if (opened.some((r) => r.status === "rejected")) exitWith(opened);
const hosts = opened.map((r) => r.value);
const listings = await step(hosts, () => shScript(LOCK, job.path));
const id = freeReleaseId(listings);
await step(hosts, () => shScript(RELEASE, job.path, job.repo, job.branch, id));
await step(hosts, () => shScript(SWITCH, job.path, id));
await step(hosts, () => shScript(FINISH, job.path, job.keep));
for (const { client } of hosts) client.end();
