import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gitRepo, projectDir, runFap, startTestHosts, waitFor, type TestHosts } from "../harness.js";

// forward_agent against a real ssh-agent (started here, killed after) and a private repository
// served over ssh by a second test host, git1, whose authorized_keys holds only the agent's key.
// host1's git clones ssh://... and gets in only through the agent fap forwards.
let hosts: TestHosts;
let gitHosts: TestHosts;
let work: string;
let agent: ChildProcess;
let agentSocket: string;
let sha: string;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  [hosts, gitHosts] = await Promise.all([startTestHosts({ count: 1 }), startTestHosts({ count: 1, prefix: "git" })]);
  work = await mkdtemp(path.join(os.tmpdir(), "fap-agent-"));
  const gitHost = gitHosts.hosts[0]!;
  // The repository lives in git1's /srv: host1 can reach it only over ssh.
  sha = gitRepo(gitHost.root, "private").commit({ "index.html": "from the private repo\n" });

  // The agent's key is in no file fap or host1 reads: only in the agent, and in git1's authorized_keys.
  const key = path.join(work, "agent_key");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "fap agent test", "-f", key]);
  agentSocket = path.join(work, "agent.sock");
  agent = spawn("ssh-agent", ["-D", "-a", agentSocket], { stdio: "ignore" });
  await waitFor(() => (readdirSync(work).includes("agent.sock") ? "up" : ""), /up/, 10_000);
  execFileSync("ssh-add", ["-q", key], { env: { ...process.env, SSH_AUTH_SOCK: agentSocket }, stdio: "ignore" });
  writeFileSync(path.join(gitHosts.dir, "authorized_keys"), readFileSync(`${key}.pub`));

  // host1's ssh (run by git) trusts git1's host key and reads nothing of the machine's ~/.ssh.
  const host = hosts.hosts[0]!;
  mkdirSync(host.local("/srv/.ssh"), { recursive: true });
  writeFileSync(host.local("/srv/.ssh/known_hosts"), `${gitHost.hostKeyLine}\n`);
  writeFileSync(
    host.local("/srv/.gitconfig"),
    "[core]\n\tsshCommand = ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=/srv/.ssh/known_hosts\n",
  );
});

afterAll(async () => {
  agent?.kill();
  await Promise.all(cleanups.map((cleanup) => cleanup()));
  await Promise.all([hosts?.stop(), gitHosts?.stop()]);
  if (work) await rm(work, { recursive: true, force: true });
});

async function project(app: string, extra: string): Promise<string> {
  const gitHost = gitHosts.hosts[0]!;
  const p = await projectDir({
    "deploy.yml": `plugins: [fapistrano.git]
app_name: ${app}
path: /srv/www/%(app_name)s
repo: ssh://${gitHost.user}@127.0.0.1:${gitHost.port}/srv/private.git
${extra}
stage_role_configs:
  production:
    web:
      hosts: [host1]
`,
  });
  cleanups.push(p.cleanup);
  return p.dir;
}

const deploy = (dir: string) => runFap(hosts, dir, ["run", "deploy", "-s", "production"], { SSH_AUTH_SOCK: agentSocket });

describe("forward_agent", () => {
  it("without it, the host's git is refused, and the error says so and names forward_agent", async () => {
    const run = await deploy(await project("closed", ""));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: deploy failed on 1 host: host1 \(updating\): \[fap:git\] updating: cannot read ssh:\/\/.*\/srv\/private\.git: root@127\.0\.0\.1: Permission denied \(publickey\)\.$/m);
    expect(run.stderr).toMatch(/^hint: .*forward_agent: true/m);
  });

  it("lets the host's git clone a private repository over ssh with the deployer's agent", async () => {
    const run = await deploy(await project("open", "forward_agent: true"));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const host = hosts.hosts[0]!;
    expect(readFileSync(host.local("/srv/www/open/current/index.html"), "utf8")).toBe("from the private repo\n");
    expect(readFileSync(host.local("/srv/www/open/current/REVISION"), "utf8").trim()).toBe(sha);
    // No key was copied to the host: its .ssh holds only the known_hosts the test wrote.
    expect(readdirSync(host.local("/srv/.ssh"))).toEqual(["known_hosts"]);
  });

  it("stops with one line when there is no agent to forward", async () => {
    const run = await runFap(hosts, await project("noagent", "forward_agent: true"), ["run", "deploy", "-s", "production"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: host1: forward_agent is set, but there is no ssh-agent to forward$/m);
  });
});
