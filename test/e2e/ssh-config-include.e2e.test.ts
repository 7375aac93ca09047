import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { deployYml, hostTree, runFap } from "../harness.js";
import { useTestHosts } from "../three-hosts.js";

// ~/.ssh/config as OpenSSH reads it: Include (relative to ~/.ssh, globs, inside Host blocks),
// and ProxyCommand refused rather than bypassed.

const testHosts = useTestHosts(1);

beforeAll(() => {
  const { sshConfigPath, identityFile, knownHostsPath } = testHosts.hosts;
  const host = testHosts.hosts.hosts[0]!;
  const sshDir = path.dirname(sshConfigPath);
  const reach = [`  Port ${host.port}`, `  User ${host.user}`, `  IdentityFile ${identityFile}`, "  IdentitiesOnly yes", `  UserKnownHostsFile ${knownHostsPath}`];
  mkdirSync(path.join(sshDir, "config.d"));
  writeFileSync(path.join(sshDir, "config.d", "10-included"), ["Host included", "  HostName 127.0.0.1", ...reach, ""].join("\n"));
  // Only for the host whose block includes it; its `Host *` must not leak to other hosts.
  writeFileSync(path.join(sshDir, "conditional.conf"), ["HostName 127.0.0.1", ...reach, "Host *", "  Port 1", ""].join("\n"));
  writeFileSync(path.join(sshDir, "elsewhere.conf"), ["Host *", "  Port 2", ""].join("\n"));
  const generated = readFileSync(sshConfigPath, "utf8");
  writeFileSync(
    sshConfigPath,
    [
      "Include config.d/*",
      generated,
      // Above `conditional`: were its Include applied to every host, Port 2 would win.
      "Host someone-else",
      "  Include ~/.ssh/elsewhere.conf",
      "Host conditional",
      "  Include conditional.conf",
      "Host proxied",
      "  HostName 127.0.0.1",
      ...reach,
      "  ProxyCommand nc %h %p",
      "",
    ].join("\n"),
  );
});

const project = (app: string, alias: string) => testHosts.project({ "deploy.yml": deployYml(app, alias) });

describe("~/.ssh/config Include", () => {
  it("reaches an alias from a file included by a relative glob", async () => {
    const dir = await project("included", "included");
    const deploy = await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production"]);
    expect(deploy.code, deploy.stderr).toBe(0);
    expect((await hostTree(testHosts.hosts, 0, "/srv/www/included")).current).toMatch(/releases\//);
  });

  it("applies an Include inside a Host block to that host only, as OpenSSH does", async () => {
    const dir = await project("conditional", "conditional");
    const deploy = await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production"]);
    expect(deploy.code, deploy.stderr).toBe(0);
    expect((await hostTree(testHosts.hosts, 0, "/srv/www/conditional")).current).toMatch(/releases\//);
  });
});

describe("~/.ssh/config ProxyCommand", () => {
  it("is refused with a clear error instead of connecting directly", async () => {
    const dir = await project("proxied", "proxied");
    const deploy = await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production"]);
    expect(deploy.code).not.toBe(0);
    expect(deploy.stderr).toMatch(/proxied: ~\/\.ssh\/config sets ProxyCommand \(nc %h %p\), which fap does not support/);
    expect(deploy.stderr).not.toMatch(/\n\s+at /);
    expect((await hostTree(testHosts.hosts, 0, "/srv/www/proxied")).releases).toEqual([]);
  });
});
