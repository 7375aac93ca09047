import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, readlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkTestHostSupport, type TestHost } from "../src/index.js";
import { ssh } from "./_ssh.js";
import { useTestHosts } from "./_use-test-hosts.js";

describe("startTestHosts with three hosts", () => {
  const testHosts = useTestHosts(3);

  it("runs on a machine that supports it", async () => {
    await expect(checkTestHostSupport()).resolves.toBeUndefined();
  });

  it("answers over ssh on every alias, each host being itself", async () => {
    const { hosts } = testHosts();
    expect(hosts.map((host) => host.alias)).toEqual(["host1", "host2", "host3"]);
    expect(new Set(hosts.map((host) => host.port)).size).toBe(3);
    await Promise.all(hosts.map((host) => writeFile(host.local("/srv/whoami"), host.alias)));

    const results = await Promise.all(hosts.map((host) => ssh(testHosts(), host.alias, 'echo hi; cat /srv/whoami; echo; echo "$HOME"; ls /srv')));
    results.forEach((result, index) => {
      const alias = hosts[index]!.alias;
      expect(result).toEqual({ stdout: `hi\n${alias}\n/srv\nwhoami\n`, stderr: "", exitCode: 0 });
    });
  });

  it("keeps each host's mount point private and mirrors it at host.root", async () => {
    const [host1, host2, host3] = testHosts().hosts as [TestHost, TestHost, TestHost];
    const written = await ssh(testHosts(), "host1", "mkdir -p /srv/www && echo deployed > /srv/www/index.html");
    expect(written.exitCode).toBe(0);

    expect(await readFile(join(host1.root, "www/index.html"), "utf8")).toBe("deployed\n");
    expect(host1.local("/srv/www/index.html")).toBe(join(host1.root, "www/index.html"));
    expect((await ssh(testHosts(), "host2", "test -e /srv/www/index.html")).exitCode).toBe(1);
    expect((await host3.exec("ls -A /srv")).stdout).not.toContain("www");
    expect(existsSync(host2.local("/srv/www"))).toBe(false);
    expect(existsSync("/srv/www/index.html")).toBe(false);
  });

  it("exec() runs inside the host's namespace and reports failures", async () => {
    const host = testHosts().hosts[1]!;
    const linked = await host.exec("mkdir -p /srv/releases/1 && ln -sfn /srv/releases/1 /srv/current && readlink /srv/current");
    expect(linked).toEqual({ stdout: "/srv/releases/1\n", stderr: "", exitCode: 0 });
    expect(await readlink(host.local("/srv/current"))).toBe("/srv/releases/1");
    expect(await host.exec("echo oops >&2; exit 3")).toEqual({ stdout: "", stderr: "oops\n", exitCode: 3 });
    expect((await host.exec('echo "$HOME"')).stdout).toBe("/srv\n");
  });

  it("local() maps only paths under the mount point", () => {
    const host = testHosts().hosts[0]!;
    expect(host.local("/srv")).toBe(host.root);
    expect(host.local("/srv/")).toBe(host.root);
    expect(host.local("/srv/a/../b")).toBe(join(host.root, "b"));
    for (const outside of ["/etc/passwd", "/srvx", "/srv/../etc", "srv/x", "/"]) {
      expect(() => host.local(outside), outside).toThrow(/not under \/srv/);
    }
  });

  it("writes known_hosts, fingerprints and an ssh config that strict checking accepts", async () => {
    const { hosts, knownHostsPath, sshConfigPath, identityFile, home, env } = testHosts();
    const lines = (await readFile(knownHostsPath, "utf8")).trim().split("\n");
    expect(lines).toEqual(hosts.map((host) => host.hostKeyLine));
    expect(hosts[0]!.hostKeyLine).toMatch(/^\[127\.0\.0\.1\]:\d+ ssh-ed25519 AAAA\S+$/);

    // ssh-keygen -l prints one fingerprint per known_hosts line, in order.
    const listed = execFileSync("ssh-keygen", ["-l", "-f", knownHostsPath], { encoding: "utf8" });
    expect(listed.trim().split("\n").map((line) => line.split(" ")[1])).toEqual(hosts.map((host) => host.fingerprint));

    expect(identityFile).toBe(join(home, ".ssh", "id_ed25519"));
    expect(existsSync(`${identityFile}.pub`)).toBe(true);
    expect(sshConfigPath).toBe(join(home, ".ssh", "config"));
    expect(env).toEqual({ HOME: home, SSH_AUTH_SOCK: "" });
    const strict = await ssh(testHosts(), "host3", "true", ["-o", "StrictHostKeyChecking=yes"]);
    expect(strict).toMatchObject({ exitCode: 0, stderr: "" });
  });

  it("leaves nothing in sshd's logs for a clean session", async () => {
    const logs = await Promise.all(testHosts().hosts.map((host) => readFile(join(host.root, "..", "sshd.log"), "utf8")));
    expect(logs).toEqual(["", "", ""]);
  });
});
