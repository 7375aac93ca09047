// Many hosts behind one sshd (a bastion, a NAT, aliases of one machine): sshd drops
// unauthenticated connections past its MaxStartups, and fap connects to every host at once.
import { mkdir, writeFile } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectDir, runFap, startTestHosts, type TestHosts } from "../harness.js";

const ALIASES = 12;
/** 127.0.0.2 … : one sshd, reached over as many distinct addresses (fap pools per address). */
const addresses = Array.from({ length: ALIASES }, (_, i) => `127.0.0.${i + 2}`);

let hosts: TestHosts;

/** Aliases s1…sN, each another loopback address of the one sshd, with its host key known. */
async function aliasConfig(testHosts: TestHosts): Promise<string[]> {
  const host = testHosts.hosts[0]!;
  const aliases = addresses.map((_, i) => `s${i + 1}`);
  const config = aliases.map((alias, i) =>
    [`Host ${alias}`, `  HostName ${addresses[i]}`, `  Port ${host.port}`, `  User ${host.user}`, `  IdentityFile ${testHosts.identityFile}`,
      "  IdentitiesOnly yes", `  UserKnownHostsFile ${testHosts.knownHostsPath}`, ""].join("\n"));
  await writeFile(testHosts.sshConfigPath, config.join("\n"));
  const keyLines = addresses.map((address) => host.hostKeyLine.replace("[127.0.0.1]", `[${address}]`));
  await writeFile(testHosts.knownHostsPath, `${keyLines.join("\n")}\n`);
  return aliases;
}

const deployYml = (aliases: string[]) =>
  [`path: /srv/storm`, `parallel: ${aliases.length}`, "stage_role_configs:", "  prod:", "    app:", `      hosts: [${aliases.join(", ")}]`, ""].join("\n");

describe("a connection storm on one sshd", () => {
  beforeAll(async () => {
    // MaxStartups 2: the third connection still in its handshake is dropped, as sshd does past 10 by default.
    hosts = await startTestHosts({ count: 1, prefix: "storm", maxStartups: "2", extraListenAddresses: addresses });
    // `fap once` runs in the current release.
    await mkdir(hosts.hosts[0]!.local("/srv/storm/current"), { recursive: true });
  });
  afterAll(() => hosts?.stop());

  it("connects every host: connections dropped before the handshake are retried with backoff", async () => {
    const aliases = await aliasConfig(hosts);
    const project = await projectDir({ "deploy.yml": deployYml(aliases) });
    try {
      const run = await runFap(hosts, project.dir, ["once", "-s", "prod", "-c", "echo storm-ok"]);
      expect(run.stderr).not.toMatch(/cannot connect/);
      expect(run.code).toBe(0);
      expect(run.stdout.match(/storm-ok/g)?.length).toBe(ALIASES);
    } finally {
      await project.cleanup();
    }
  }, 120_000);

  it("names the host that still drops every connection after the retries, in one line with a hint", async () => {
    // Accepts and closes at once, as an sshd that stays past its MaxStartups does.
    const dropper = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => dropper.listen(0, "127.0.0.1", resolve));
    const port = (dropper.address() as AddressInfo).port;
    const host = hosts.hosts[0]!;
    await writeFile(hosts.sshConfigPath, [`Host full`, "  HostName 127.0.0.1", `  Port ${port}`, `  User ${host.user}`,
      `  IdentityFile ${hosts.identityFile}`, "  IdentitiesOnly yes", `  UserKnownHostsFile ${hosts.knownHostsPath}`, ""].join("\n"));
    const project = await projectDir({ "deploy.yml": deployYml(["full"]) });
    try {
      const run = await runFap(hosts, project.dir, ["once", "-s", "prod", "-c", "true"]);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(new RegExp(`full: cannot connect to root@127\\.0\\.0\\.1:${port}: the server closed the connection before the SSH handshake \\(8 tries in [\\d.]+ s\\)`));
      expect(run.stderr).toMatch(/MaxStartups/);
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      await project.cleanup();
      await new Promise((resolve) => dropper.close(resolve));
    }
  }, 120_000);
});
