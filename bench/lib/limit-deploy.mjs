#!/usr/bin/env node
// The physical limit (variant d): one ssh2 connection per host, all hosts in parallel, ONE shell
// script per host doing a deploy's work: fetch the branch into a bare mirror, archive it into a
// new release, write REVISION, switch `current` atomically, keep the newest N releases. It
// uses the cheapest git set-up fap found (no sample hooks, the fetched pack kept whole), so
// that fap is never measured against a slower limit than it could be.
// Usage: node limit-deploy.mjs JOB.json  with {hosts:[{host,port}], user, identityFile, path, repo, branch, keep}
import { connect, exec, exitWith, readJob, recordUsageAtExit, shScript } from "./limit-ssh.mjs";

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

async function deployOne(job, target, privateKey) {
  const client = await connect(target, job.user, privateKey);
  try {
    await exec(client, target, shScript(SCRIPT, job.path, job.repo, job.branch, job.keep));
  } finally {
    client.end();
  }
}

recordUsageAtExit();
const { job, privateKey } = readJob();
exitWith(await Promise.allSettled(job.hosts.map((target) => deployOne(job, target, privateKey))));
