#!/usr/bin/env node
// Installs the Debian packages fap's e2e tests and demo need (real sshd hosts, git, ...), when
// they are missing and we are root; otherwise names them in one message. The unit tests need
// none of them (`npm run test:unit`), so this runs before `npm test`, `test:e2e` and `demo` only.
import { execFileSync } from "node:child_process";
import { missingPackages } from "./missing-packages.mjs";

const NEEDS = [
  { what: "/usr/sbin/sshd", pkg: "openssh-server" },
  { what: "ssh-keygen", pkg: "openssh-client" },
  { what: "git", pkg: "git" },
  { what: "unshare", pkg: "util-linux" },
  { what: "nsenter", pkg: "util-linux" },
  { what: "tar", pkg: "tar" },
  { what: "/usr/bin/python3", pkg: "python3" },
  { what: "/usr/share/doc/python3-venv", pkg: "python3-venv" },
  { what: "/usr/bin/virtualenv", pkg: "python3-virtualenv" },
  { what: "/usr/lib/python3/dist-packages/pip", pkg: "python3-pip" },
  { what: "/usr/lib/python3/dist-packages/setuptools", pkg: "python3-setuptools" },
  { what: "/usr/lib/python3/dist-packages/wheel", pkg: "python3-wheel" },
  { what: "/usr/bin/supervisord", pkg: "supervisor" },
  { what: "/usr/bin/supervisorctl", pkg: "supervisor" },
  // run_as / sudo: the hosts run commands through sudo -n (see docs/config.md).
  { what: "/usr/bin/sudo", pkg: "sudo" },
  // The HTML report's browser tests (playwright-core drives it; no browser is downloaded).
  { what: "/usr/bin/chromium", pkg: "chromium" },
];

const missing = missingPackages(NEEDS);

if (missing.length === 0) process.exit(0);
if (process.getuid?.() !== 0) {
  console.error(
    `fap's e2e tests need these Debian packages: ${missing.join(" ")}\n` +
      `  install them with: sudo apt-get install -y ${missing.join(" ")}\n` +
      "  (the unit tests need none of them: npm run test:unit)",
  );
  process.exit(1);
}
console.error(`installing ${missing.join(" ")} ...`);
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], { stdio: "inherit", env });
