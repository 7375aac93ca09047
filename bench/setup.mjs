#!/usr/bin/env node
// Bench-only system setup: Capistrano 3 (Debian's package: Ruby, net-ssh with ed25519), rsync
// (Shipit copies releases with it), and the OpenSSH server the test hosts need. apt-get installs
// only what is missing. The test setup (scripts/system-deps.mjs) stays free of these.
import { execFileSync } from "node:child_process";
import { missingPackages } from "../scripts/missing-packages.mjs";

const missing = missingPackages([
  { what: "cap", pkg: "capistrano" },
  { what: "rsync", pkg: "rsync" },
  { what: "/usr/sbin/sshd", pkg: "openssh-server" },
  { what: "ssh", pkg: "openssh-client" },
  { what: "git", pkg: "git" },
]);

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
