#!/usr/bin/env node
// Bench-only system setup: Capistrano 3 (Debian's package: Ruby, net-ssh with ed25519), rsync
// (Shipit copies releases with it), and the OpenSSH server the test hosts need. apt-get installs
// only what is missing. The test setup (scripts/system-deps.mjs) stays free of these.
import { execFileSync, spawnSync } from "node:child_process";

const wanted = [
  { command: "cap", pkg: "capistrano" },
  { command: "rsync", pkg: "rsync" },
  { command: "/usr/sbin/sshd", pkg: "openssh-server" },
  { command: "ssh", pkg: "openssh-client" },
  { command: "git", pkg: "git" },
];

const has = (command) => spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
const missing = wanted.filter((w) => !has(w.command)).map((w) => w.pkg);

if (missing.length === 0) {
  console.log("bench setup: capistrano, rsync, sshd, ssh and git are present");
} else {
  if (process.getuid?.() !== 0) {
    console.error(`bench setup: missing ${missing.join(", ")}; as root run: apt-get install -y ${missing.join(" ")}`);
    process.exit(1);
  }
  console.log(`bench setup: apt-get install ${missing.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () => execFileSync("apt-get", ["install", "-y", "--no-install-recommends", ...missing], { stdio: "inherit", env });
  try {
    install();
  } catch {
    execFileSync("apt-get", ["update"], { stdio: "inherit", env });
    install();
  }
}
