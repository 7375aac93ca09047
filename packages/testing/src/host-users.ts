import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { shellWord } from "./_shell-word.js";
import type { TestHost, TestHosts } from "./types.js";

export interface TestUser {
  /** A name no machine has: `fap-test-...`. */
  name: string;
  /** Its uid and gid (a group of the same name is made). */
  uid: number;
  /** Default: the host's mount point. */
  home?: string;
}

export interface HostUsers {
  /** Adds users to the host's private passwd, group and shadow (no password, not locked: key login works). */
  add(users: readonly TestUser[]): Promise<void>;
  /** Replaces the host's private sudoers rules (a file in its own /etc/sudoers.d). */
  sudoers(rules: string): Promise<void>;
}

/** The files that are made private, and where the copy goes under `dir`. */
const PRIVATE_FILES = ["passwd", "group", "shadow"] as const;

/**
 * Gives a running test host users and sudo rules of its own, without writing the machine's
 * /etc: private copies of /etc/passwd, group and shadow, an empty /etc/sudoers.d, and empty
 * /run/sudo and /var/lib/sudo/lectured (sudo's timestamps) are bind-mounted over the machine's
 * inside the host's mount namespace only (its sshd, sessions and sudo see them; nothing else
 * does). The copies live in the hosts' dir, removed by stop(). The mounts go
 * with the host: a stopped and restarted host sees the machine's /etc again.
 */
export async function hostUsers(hosts: TestHosts, host: TestHost): Promise<HostUsers> {
  const etc = join(hosts.dir, `${host.alias}-etc`);
  // sshd reads the hosts' one authorized_keys file as the user logging in: the temp dir must let
  // them through (0711: not listable; the client's private key stays in its own 0700 .ssh).
  await chmod(hosts.dir, 0o711);
  const sudoersDir = join(etc, "sudoers.d");
  const runSudo = join(etc, "run-sudo");
  const lectured = join(etc, "lectured");
  await mkdir(sudoersDir, { recursive: true, mode: 0o750 });
  await mkdir(runSudo, { recursive: true, mode: 0o711 });
  await mkdir(lectured, { recursive: true, mode: 0o700 });
  for (const file of PRIVATE_FILES) {
    await writeFile(join(etc, file), await readFile(`/etc/${file}`, "utf8"), { mode: file === "shadow" ? 0o640 : 0o644 });
  }
  // Paths are passed as positional parameters: nothing is quoted into the script.
  const mounts = [
    ...PRIVATE_FILES.map((file) => [join(etc, file), `/etc/${file}`]),
    [sudoersDir, "/etc/sudoers.d"],
    [runSudo, "/run/sudo"],
    [lectured, "/var/lib/sudo/lectured"],
  ];
  const script = 'while [ $# -gt 0 ]; do test -e "$2" && mount --bind "$1" "$2" || exit 1; shift 2; done';
  const result = await host.exec(`sh -c ${shellWord(script)} sh ${mounts.flat().map(shellWord).join(" ")}`);
  if (result.exitCode !== 0) throw new Error(`${host.alias}: cannot bind-mount a private /etc: ${result.stderr}`);

  const append = async (file: string, lines: string[]) => {
    const path = join(etc, file);
    // Written in place: the bind mount holds this inode, a rename would leave it behind.
    await writeFile(path, `${await readFile(path, "utf8")}${lines.join("")}`);
  };
  return {
    async add(users) {
      for (const user of users) {
        if (!/^fap-test-[a-z0-9-]+$/.test(user.name)) throw new Error(`test users are named fap-test-...: ${user.name}`);
      }
      const home = (user: TestUser) => user.home ?? host.mountPoint;
      await append("passwd", users.map((u) => `${u.name}:x:${u.uid}:${u.uid}:fap test user:${home(u)}:/bin/sh\n`));
      await append("group", users.map((u) => `${u.name}:x:${u.uid}:\n`));
      // "*": no password, but not locked, so sshd lets the user in with a key.
      await append("shadow", users.map((u) => `${u.name}:*:20000:0:99999:7:::\n`));
    },
    async sudoers(rules) {
      const file = join(sudoersDir, "fap-test");
      await writeFile(file, rules.endsWith("\n") ? rules : `${rules}\n`);
      // sudo ignores a rules file others can write.
      await chmod(file, 0o440);
    },
  };
}
