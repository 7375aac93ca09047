// (b) Capistrano 3 from Debian: a Capfile, config/deploy.rb and a stage file the bench writes.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const rb = (s) => JSON.stringify(s); // a JSON string is a valid Ruby double-quoted string here

export function createCapistrano({ work, hosts, repo, keep }) {
  const deployPath = "/srv/bench-cap";
  const dir = path.join(work, "cap");
  mkdirSync(path.join(dir, "config/deploy"), { recursive: true });
  writeFileSync(
    path.join(dir, "Capfile"),
    ['require "capistrano/setup"', 'require "capistrano/deploy"', 'require "capistrano/scm/git"', "install_plugin Capistrano::SCM::Git", ""].join("\n"),
  );
  writeFileSync(
    path.join(dir, "config/deploy.rb"),
    [
      'set :application, "bench"',
      `set :repo_url, ${rb(repo.bare)}`,
      `set :branch, ${rb(repo.branch)}`,
      `set :deploy_to, ${rb(deployPath)}`,
      `set :keep_releases, ${keep}`,
      // Every host sees the same /tmp: the git ssh wrapper goes to each host's own /srv instead.
      'set :tmp_dir, "/srv/bench-cap-tmp"',
      "",
    ].join("\n"),
  );
  writeFileSync(
    path.join(dir, "config/deploy/bench.rb"),
    [
      ...hosts.hosts.map((h) => `server "127.0.0.1", user: "root", port: ${h.port}, roles: %w{app}`),
      "set :ssh_options, {",
      `  keys: [${rb(hosts.identityFile)}], keys_only: true, auth_methods: %w[publickey],`,
      '  verify_host_key: :never, user_known_hosts_file: "/dev/null", config: false',
      "}",
      "",
    ].join("\n"),
  );
  return {
    name: "capistrano",
    deployPath,
    extraPaths: ["/srv/bench-cap-tmp"],
    command: () => ({ cmd: "cap", args: ["bench", "deploy"], cwd: dir, env: { ...process.env, ...hosts.env } }),
  };
}
