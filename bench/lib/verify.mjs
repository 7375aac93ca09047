// After a run (untimed): every host must have `current` on a release holding the repo's files and
// its sha in REVISION, and at most `keep` releases. A variant that only looks fast is caught here.
import { existsSync, readFileSync, readdirSync, readlinkSync } from "node:fs";
import path from "node:path";

export function verifyDeployed(hosts, deployPath, repo, keep) {
  const problems = [];
  for (const host of hosts.hosts) {
    const root = host.local(deployPath);
    let release;
    try {
      release = path.basename(readlinkSync(path.join(root, "current")));
    } catch {
      problems.push(`${host.alias}: no current`);
      continue;
    }
    const dir = path.join(root, "releases", release);
    const revision = existsSync(path.join(dir, "REVISION")) ? readFileSync(path.join(dir, "REVISION"), "utf8").trim() : "";
    if (revision !== repo.sha) problems.push(`${host.alias}: REVISION '${revision}' in ${release}`);
    if (!existsSync(path.join(dir, "public/page19.html"))) problems.push(`${host.alias}: files missing in ${release}`);
    const count = readdirSync(path.join(root, "releases")).length;
    if (count > keep) problems.push(`${host.alias}: ${count} releases kept`);
  }
  return problems;
}
