import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkHostSystemdSupport, hostSystemd, startTestHosts, type HostSystemd, type TestHost, type TestHosts } from "../src/index.js";
import { isRunning, ssh } from "./_ssh.js";

const unsupported = await checkHostSystemdSupport().then(() => "", (error: Error) => error.message);
const MACHINE_CGROUPS = "/sys/fs/cgroup/systemd";
const ours = () => readdirSync(MACHINE_CGROUPS).filter((name) => name.startsWith(`fap-test-systemd-${process.pid}-`));

describe.skipIf(unsupported)("hostSystemd: a real systemd --user inside one test host", () => {
  let hosts: TestHosts;
  let host: TestHost;
  let systemd: HostSystemd;

  beforeAll(async () => {
    hosts = await startTestHosts({ count: 2 });
    host = hosts.hosts[0]!;
    systemd = await hostSystemd(hosts, host);
  });

  afterAll(async () => {
    await systemd?.stop();
    await hosts?.stop();
  });

  it("runs a unit started over ssh and files its output under the unit", async () => {
    await writeFile(host.local("/srv/hello.sh"), "echo hello from $0; exec sleep 600\n");
    await systemd.exec(`printf '[Service]\\nExecStart=/bin/sh /srv/hello.sh\\n' > ${systemd.unitDir}/hello.service`);
    const env = Object.entries(systemd.env).map(([key, value]) => `${key}=${value}`).join(" ");
    const started = await ssh(hosts, host.alias, `export ${env}; systemctl --user daemon-reload && systemctl --user start hello && systemctl --user is-active hello`);
    expect(started).toMatchObject({ stdout: "active\n", exitCode: 0 });

    let lines = "";
    for (let tries = 0; tries < 50 && !lines.includes("hello from"); tries++) {
      lines = (await ssh(hosts, host.alias, `export ${env}; journalctl --user-unit=hello -o cat --no-pager`)).stdout;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(lines).toBe("hello from /srv/hello.sh\n");
  });

  it("leaves the other host and the machine without a user manager", async () => {
    const other = await ssh(hosts, hosts.hosts[1]!.alias, "test -S /run/user/0/systemd/private && echo reachable || echo absent");
    expect(other.stdout).toBe("absent\n");
    expect(existsSync("/run/user/0/systemd/private")).toBe(false);
  });

  it("stop() ends every process it started, unmounts and removes the test's cgroup; the host keeps serving ssh", async () => {
    expect(ours()).toHaveLength(1);
    // The machine's view of the test's cgroup: journald, the manager, the unit's shell.
    const pids = execFileSync("sh", ["-c", 'cat $(find "$1" -name cgroup.procs)', "sh", `${MACHINE_CGROUPS}/${ours()[0]}`], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean)
      .map(Number);
    expect(pids.length).toBeGreaterThanOrEqual(3);

    await systemd.stop();

    expect(pids.filter(isRunning)).toEqual([]);
    expect(ours()).toEqual([]);
    const after = await ssh(hosts, host.alias, "mountpoint -q /run/systemd && echo mounted || echo gone; ls /run/user/0 2>&1 | head -1");
    expect(after).toMatchObject({ exitCode: 0 });
    expect(after.stdout.split("\n")[0]).toBe("gone");
  });

  it("stop() after the host itself was stopped still removes the test's cgroup", async () => {
    const other = hosts.hosts[1]!;
    const second = await hostSystemd(hosts, other);
    expect(ours()).toHaveLength(1);
    await other.stop();
    await second.stop();
    expect(ours()).toEqual([]);
  });
});
