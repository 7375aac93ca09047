// More hosts than the open-file limit allows connections: fap keeps one connection per host, so
// past the limit it closes idle ones (reconnecting later) instead of failing with EMFILE.
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAP_BIN, projectDir, startTestHosts, type FapRun, type TestHosts } from "../harness.js";

const HOSTS = 80;
/** The hard limit too: Node raises the soft limit to the hard one at start, so only a low hard limit bites. */
const NOFILE = 64;
/** sshd listens on at most 16 addresses: 6 sshd on 127.0.0.2-15 besides 127.0.0.1, distinct connections for fap. */
const PER_SSHD = 14;
const SSHD = Math.ceil(HOSTS / PER_SSHD);
const extra = Array.from({ length: PER_SSHD }, (_, i) => `127.0.0.${i + 2}`);
const targets = Array.from({ length: HOSTS }, (_, i) => ({ alias: `m${i + 1}`, sshd: Math.floor(i / PER_SSHD), address: extra[i % PER_SSHD]! }));

let hosts: TestHosts;

function runFapLimited(cwd: string, args: string[]): Promise<FapRun> {
  return new Promise((resolve) => {
    execFile("prlimit", [`--nofile=${NOFILE}:${NOFILE}`, "--", process.execPath, FAP_BIN, ...args],
      { cwd, env: { ...process.env, ...hosts.env, NO_COLOR: "1", GITHUB_STEP_SUMMARY: "" }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }));
  });
}

describe(`${HOSTS} hosts with an open-file limit of ${NOFILE}`, () => {
  beforeAll(async () => {
    hosts = await startTestHosts({ count: SSHD, prefix: "many", extraListenAddresses: extra });
    for (const host of hosts.hosts) await mkdir(host.local("/srv/many/current"), { recursive: true });
    const config = targets.map(({ alias, sshd, address }) => [`Host ${alias}`, `  HostName ${address}`, `  Port ${hosts.hosts[sshd]!.port}`,
      `  User ${hosts.hosts[sshd]!.user}`, `  IdentityFile ${hosts.identityFile}`, "  IdentitiesOnly yes", `  UserKnownHostsFile ${hosts.knownHostsPath}`, ""].join("\n"));
    await writeFile(hosts.sshConfigPath, config.join("\n"));
    const keyLines = targets.map(({ sshd, address }) => hosts.hosts[sshd]!.hostKeyLine.replace("[127.0.0.1]", `[${address}]`));
    await writeFile(hosts.knownHostsPath, `${keyLines.join("\n")}\n`);
  });
  afterAll(() => hosts?.stop());

  it("runs a command on every host, closing idle connections to stay under the limit", async () => {
    const aliases = targets.map((t) => t.alias);
    const yml = ["path: /srv/many", "parallel: 8", "stage_role_configs:", "  prod:", "    app:", `      hosts: [${aliases.join(", ")}]`, ""].join("\n");
    const project = await projectDir({ "deploy.yml": yml });
    try {
      const run = await runFapLimited(project.dir, ["once", "-s", "prod", "-c", "echo fd-ok"]);
      expect(run.stderr).not.toMatch(/too many open files|EMFILE/i);
      expect(run.code).toBe(0);
      expect(run.stdout.match(/fd-ok/g)?.length).toBe(HOSTS);
    } finally {
      await project.cleanup();
    }
  }, 180_000);
});
