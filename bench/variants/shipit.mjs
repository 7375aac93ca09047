// (c) Shipit 5 (shipit-cli + shipit-deploy from npm): a shipitfile the bench writes. Shipit clones
// locally, then runs one system `ssh` (and rsync) process per command per host.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../lib/paths.mjs";

export function createShipit({ work, hosts, repo, keep }) {
  const deployPath = "/srv/bench-shipit";
  const dir = path.join(work, "shipit");
  mkdirSync(dir, { recursive: true });
  const servers = hosts.hosts.map((h) => ({
    host: "127.0.0.1",
    user: "root",
    port: h.port,
    // Leave known_hosts alone (strict 'no' would otherwise add the keys to it).
    extraSshOptions: { UserKnownHostsFile: "/dev/null", LogLevel: "ERROR", IdentitiesOnly: "yes" },
  }));
  const config = {
    default: {
      deployTo: deployPath,
      repositoryUrl: repo.bare,
      branch: repo.branch,
      keepReleases: keep,
      shallowClone: true,
      ignores: [".git"],
      key: hosts.identityFile,
      strict: "no",
    },
    bench: { servers },
  };
  // The temp dir has no package.json, so this .js file is CommonJS, as shipit-cli expects.
  const file = path.join(dir, "shipitfile.js");
  writeFileSync(
    file,
    [
      `module.exports = (shipit) => {`,
      `  require(${JSON.stringify(path.join(ROOT, "node_modules/shipit-deploy"))})(shipit);`,
      `  shipit.initConfig(${JSON.stringify(config, null, 2)});`,
      `};`,
      "",
    ].join("\n"),
  );
  const bin = path.join(ROOT, "node_modules/shipit-cli/bin/shipit");
  return {
    name: "shipit",
    deployPath,
    command: () => ({ cmd: process.execPath, args: [bin, "bench", "deploy", "--shipitfile", file], cwd: dir, env: { ...process.env, ...hosts.env } }),
  };
}
