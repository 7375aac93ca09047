import { DURATIONS, secondsWithin } from "./durations.js";
import { wholeNumberAtLeast, type KeySpecs } from "./keys.js";

function notTilde(value: unknown): string | undefined {
  return String(value).startsWith("~") ? "must not start with '~' (it is not expanded: write the full path)" : undefined;
}

/** A user name, or `#UID` as sudo takes it; never an option. */
function userName(value: unknown): string | undefined {
  return /^(?:[A-Za-z_][A-Za-z0-9_.-]*\$?|#\d+)$/.test(String(value)) ? undefined : "must be a user name (or #UID)";
}

function portNumber(value: unknown): string | undefined {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65535 ? undefined : "must be a port number (1-65535)";
}

/** The keys core reads. Plugins add their own; `fap config` lists them all. */
export const CORE_KEYS: KeySpecs = {
  app_name: { type: "string", description: "name of the application; part of the default deploy path" },
  path: { type: "string", default: "/home/%(user)s/www/%(app_name)s", description: "deploy path on each host", check: notTilde },
  user: { type: "string", description: "SSH login user (default: ~/.ssh/config, then your local user name)" },
  port: { type: "number", description: "SSH port (default: ~/.ssh/config, then 22)", check: portNumber },
  forward_agent: { type: "boolean", default: false, description: "forward your ssh-agent to the hosts' commands (git reaching a private repository with your key)" },
  run_as: { type: "string", description: "run every command on the host as this user, through sudo -u USER -H -n (never asks for a password)", check: userName },
  sudo: { type: "boolean", default: false, description: "run every command on the host as root, through sudo -n (run_as: root)" },
  hosts: { type: "list", default: [], description: "hosts of a stage/role: ssh aliases, host, user@host or user@host:port" },
  keep_releases: { type: "number", default: 5, description: "how many good releases to keep on each host", check: wholeNumberAtLeast(1) },
  release_id_format: { type: "string", default: "%y%m%d-%H%M%S", description: "strftime format (UTC) of release ids" },
  linked_files: { type: "list", default: [], description: "files kept in shared/ and symlinked into each release" },
  linked_dirs: { type: "list", default: [], description: "directories kept in shared/ and symlinked into each release" },
  releases_path: { type: "string", default: "%(path)s/releases", description: "where releases live" },
  current_path: { type: "string", default: "%(path)s/current", description: "the symlink to the live release" },
  shared_path: { type: "string", default: "%(path)s/shared", description: "files that outlive releases" },
  hooks: { type: "commands", default: {}, description: "shell commands to run on each host at a hook, e.g. {updated: 'make'}" },
  command_timeout: { type: "number", default: 3600, description: "seconds a remote command may run before it is killed", check: secondsWithin(DURATIONS.command_timeout) },
  parallel: { type: "number", default: 10, description: "hosts worked on at once", check: wholeNumberAtLeast(1) },
  lock_ttl: { type: "number", default: 3600, description: "seconds after which a deploy lock is reported as stale", check: secondsWithin(DURATIONS.lock_ttl) },
  canary: { type: "number", default: 0, description: "deploy: publish this many hosts first (primaries first), check them, then the rest; 0: no canary", check: wholeNumberAtLeast(0) },
  canary_wait: { type: "number", default: 0, description: "deploy: seconds between a canary's two checks", check: secondsWithin(DURATIONS.canary_wait) },
  environment: { type: "map", default: {}, description: "variables written to .env in each release (over stdin, never on a command line)" },
  release_command: {
    type: "string",
    shell: true,
    description: "command run once per stage in the new release, after every host is prepared and before any switches (database migrations)",
  },
};

/** Values fap computes for each host and release; they can be used in %(key)s but not set. */
export const RUNTIME_KEYS = ["stage", "role", "host", "release", "release_path", "previous_release", "previous_release_path", "rollback_from", "rollback_to"] as const;
