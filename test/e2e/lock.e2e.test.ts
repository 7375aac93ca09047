import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { runFap } from "../harness.js";
import { useTestHosts } from "../three-hosts.js";

// One host; each test deploys its own app under /srv/www, the host's private area.
const env = useTestHosts(1);
const host = () => env.hosts.hosts[0]!;
const config = (app: string, path = `/srv/www/${app}`) =>
  `app_name: ${app}\npath: ${path}\nhooks:\n  starting: echo started > /srv/www/${app}-started\nstage_role_configs:\n  production:\n    web:\n      hosts: [host1]\n`;
const fap = (dir: string, ...args: string[]) => runFap(env.hosts, dir, args);

/** Runs `command` inside the host's mount namespace, failing the test if it fails. */
async function onHost(command: string): Promise<string> {
  const result = await host().exec(command);
  if (result.exitCode !== 0) throw new Error(`${command}: ${result.stderr}`);
  return result.stdout;
}

describe("taking the lock", () => {
  it("stops before any phase, and leaves no lock, when the lock's info cannot be written", async () => {
    const dir = await env.project({ "deploy.yml": config("full") });
    // A file system with room for its root and one directory: `mkdir lock` works, writing
    // lock/info fails with "No space left on device", as on a host whose inodes ran out.
    await onHost("mkdir -p /srv/www/full/.fap && mount -t tmpfs -o nr_inodes=2,size=64k tmpfs /srv/www/full/.fap");
    try {
      const run = await fap(dir, "run", "deploy", "-s", "production");
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^error: host1: cannot start the deploy in \/srv\/www\/full: .*No space left on device$/m);
      expect(run.stderr).toMatch(/check that the deploy path is writable/);
      expect(await onHost("ls -A /srv/www/full/.fap; ls -A /srv/www/full")).toBe(".fap\n");
      expect(existsSync(host().local("/srv/www/full-started"))).toBe(false);
      const status = await fap(dir, "status", "-s", "production");
      expect(status.stdout).not.toMatch(/locked/);
    } finally {
      await onHost("umount /srv/www/full/.fap");
    }
    expect((await fap(dir, "run", "deploy", "-s", "production")).code).toBe(0);
  });

  it("stops before any phase with the documented message when the deploy path is not writable", async () => {
    const dir = await env.project({ "deploy.yml": config("ro", "/srv/www/ro/app") });
    await onHost("mkdir -p /srv/www/ro && mount -t tmpfs -o ro tmpfs /srv/www/ro");
    try {
      const run = await fap(dir, "run", "deploy", "-s", "production");
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^error: host1: cannot start the deploy in \/srv\/www\/ro\/app: .*Read-only file system$/m);
      expect(run.stderr).toMatch(/^hint: check that the deploy path is writable by the SSH user$/m);
      expect(run.stdout).not.toMatch(/starting/);
      expect(existsSync(host().local("/srv/www/ro-started"))).toBe(false);
    } finally {
      await onHost("umount /srv/www/ro");
    }
  });
});

describe("a lock with an unknown holder", () => {
  // Whatever is at .fap/lock stops a deploy, so status shows it and unlock frees it.
  const cases: Record<string, (lock: string) => void> = {
    "no info": (lock) => mkdirSync(lock, { recursive: true }),
    "an empty info": (lock) => (mkdirSync(lock, { recursive: true }), writeFileSync(`${lock}/info`, "")),
    "a garbled info": (lock) => (mkdirSync(lock, { recursive: true }), writeFileSync(`${lock}/info`, '{"deploy":"ab\n')),
    "an info without a holder": (lock) => (mkdirSync(lock, { recursive: true }), writeFileSync(`${lock}/info`, "{}\n")),
    "an info that is a directory": (lock) => mkdirSync(`${lock}/info`, { recursive: true }),
    "a file in place of the lock directory": (lock) => (mkdirSync(dirname(lock), { recursive: true }), writeFileSync(lock, "")),
  };
  for (const [name, make] of Object.entries(cases)) {
    it(`is shown by status and doctor and freed by unlock --force: ${name}`, async () => {
      const app = `unknown-${name.replace(/\W+/g, "-")}`;
      const dir = await env.project({ "deploy.yml": config(app) });
      const lock = host().local(`/srv/www/${app}/.fap/lock`);
      make(lock);

      const refused = await fap(dir, "run", "deploy", "-s", "production");
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^error: host1: locked by an unknown holder/m);
      expect(refused.stderr).toMatch(/fap unlock -s STAGE/);
      expect(existsSync(host().local(`/srv/www/${app}-started`))).toBe(false);

      expect((await fap(dir, "status", "-s", "production")).stdout).toMatch(/host1 .*locked by an unknown holder/);
      expect((await fap(dir, "doctor", "-s", "production")).stdout).toMatch(/lock +locked by an unknown holder/);
      const unlocked = await fap(dir, "unlock", "-s", "production", "--force");
      expect(unlocked.code, unlocked.stderr).toBe(0);
      expect(unlocked.stdout).toMatch(/freed the lock on host1/);
      expect(existsSync(lock)).toBe(false);
      expect((await fap(dir, "run", "deploy", "-s", "production")).code).toBe(0);
      rmSync(host().local(`/srv/www/${app}-started`), { force: true });
    });
  }
});
