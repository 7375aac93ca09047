import { mkdtemp, readFile, rm, writeFile, appendFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startTestHosts, type TestHost, type TestHosts } from "../src/index.js";
import { ssh } from "./_ssh.js";

describe("startTestHosts options", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(() => Promise.all(cleanups.map((cleanup) => cleanup())));

  async function start(...args: Parameters<typeof startTestHosts>): Promise<TestHosts> {
    const testHosts = await startTestHosts(...args);
    cleanups.push(() => testHosts.stop());
    return testHosts;
  }

  it("knownHosts: false leaves known_hosts empty, so strict checking refuses the host", async () => {
    const testHosts = await start({ count: 1, knownHosts: false });
    expect(await readFile(testHosts.knownHostsPath, "utf8")).toBe("");

    const refused = await ssh(testHosts, "host1", "true", ["-o", "StrictHostKeyChecking=yes"]);
    expect(refused.exitCode).toBe(255);
    expect(refused.stderr).toMatch(/Host key verification failed/);

    await appendFile(testHosts.knownHostsPath, `${testHosts.hosts[0]!.hostKeyLine}\n`);
    expect((await ssh(testHosts, "host1", "true", ["-o", "StrictHostKeyChecking=yes"])).exitCode).toBe(0);
  });

  it("honours prefix, mountPoint and hostKeyType", async () => {
    const mountPoint = await mkdtemp(join(tmpdir(), "fap-testing-mnt-"));
    cleanups.push(() => rm(mountPoint, { recursive: true, force: true }));
    const testHosts = await start({ count: 2, prefix: "web", mountPoint, hostKeyType: "ecdsa" });
    const [web1, web2] = testHosts.hosts as [TestHost, TestHost];

    expect([web1.alias, web2.alias]).toEqual(["web1", "web2"]);
    expect(web2.hostKeyLine).toMatch(/^\[127\.0\.0\.1\]:\d+ ecdsa-sha2-nistp256 AAAA/);
    await writeFile(web2.local(`${mountPoint}/marker`), "two");
    const result = await ssh(testHosts, "web2", `echo "$HOME"; cat ${mountPoint}/marker`, ["-o", "StrictHostKeyChecking=yes"]);
    expect(result).toEqual({ stdout: `${mountPoint}\ntwo`, stderr: "", exitCode: 0 });
    expect((await web1.exec(`ls -A ${mountPoint}`)).stdout).toBe("");
  });

  it("supports rsa host keys", async () => {
    const testHosts = await start({ count: 1, hostKeyType: "rsa" });
    expect(testHosts.hosts[0]!.hostKeyLine).toMatch(/ ssh-rsa AAAA/);
    expect((await ssh(testHosts, "host1", "echo rsa", ["-o", "StrictHostKeyChecking=yes"])).stdout).toBe("rsa\n");
  });

  it("rejects options it cannot honour before starting anything", async () => {
    await expect(startTestHosts({ count: 0 })).rejects.toThrow(/count must be a positive integer/);
    await expect(startTestHosts({ count: 1.5 })).rejects.toThrow(/count/);
    await expect(startTestHosts({ count: 1, prefix: "my host" })).rejects.toThrow(/prefix/);
    await expect(startTestHosts({ count: 1, mountPoint: "/" })).rejects.toThrow(/mountPoint/);
    await expect(startTestHosts({ count: 1, mountPoint: "srv" })).rejects.toThrow(/mountPoint/);
    await expect(startTestHosts({ count: 1, mountPoint: tmpdir() })).rejects.toThrow(/would hide/);
  });
});
