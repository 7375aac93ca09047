import { stat } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { hostUsers, type HostUsers } from "@fap/testing";
import { runFap } from "../harness.js";
import { useTestHosts } from "../three-hosts.js";

// run_as and sudo against the real sudo on a test host. The users and sudoers rules are the
// host's own: private copies of /etc/passwd, group, shadow and sudoers.d bind-mounted inside its
// mount namespace (@fap/testing's hostUsers), so the machine's /etc is never written.
const env = useTestHosts(1);
const host = () => env.hosts.hosts[0]!;
const APP = { name: "fap-test-app", uid: 64101, home: "/srv/app-home" };
const DEPLOYER = { name: "fap-test-deployer", uid: 64102 };
let users: HostUsers;

beforeAll(async () => {
  users = await hostUsers(env.hosts, host());
  await users.add([APP, DEPLOYER]);
  await users.sudoers("");

  // Only the app user may write where the apps live.
  const made = await host().exec(`mkdir -p /srv/www /srv/app-home && chown ${APP.name}: /srv/www /srv/app-home`);
  expect(made.stderr).toBe("");
});

const config = (app: string, extra: string) =>
  `app_name: ${app}\npath: /srv/www/%(app_name)s\n${extra}\nhooks:\n  updated: echo "$(id -un) $HOME" > whoami\nstage_role_configs:\n  production:\n    web:\n      hosts: [host1]\n`;
const fap = (dir: string, ...args: string[]) => runFap(env.hosts, dir, args);
const owner = async (path: string) => (await stat(host().local(path))).uid;

describe("run_as", () => {
  it("runs the deploy's commands, its lock and its state reads as that user: every file is theirs", async () => {
    const dir = await env.project({ "deploy.yml": config("owned", `run_as: ${APP.name}`) });
    const run = await fap(dir, "run", "deploy", "-s", "production");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const release = (await fap(dir, "status", "-s", "production")).stdout;
    expect(release).toMatch(/host1/);
    for (const path of ["/srv/www/owned", "/srv/www/owned/releases", "/srv/www/owned/current", "/srv/www/owned/.fap", "/srv/www/owned/.fap/releases.log", "/srv/www/owned/current/whoami"]) {
      expect([path, await owner(path)]).toEqual([path, APP.uid]);
    }
    // -H: HOME is the user's own.
    expect((await host().exec("cat /srv/www/owned/current/whoami")).stdout).toBe(`${APP.name} ${APP.home}\n`);
    // A second deploy reads the log and takes the lock as that user too.
    expect((await fap(dir, "run", "deploy", "-s", "production")).code).toBe(0);
  });

  it("says in one line that sudo wants a password, with the NOPASSWD rule to add, and works once it is there", async () => {
    const dir = await env.project({ "deploy.yml": config("denied", `user: ${DEPLOYER.name}\nrun_as: ${APP.name}`) });
    const run = await fap(dir, "run", "deploy", "-s", "production");
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^error: host1: sudo asks for fap-test-deployer's password to run commands as fap-test-app; fap never types one \(sudo -n\)$/m,
    );
    expect(run.stderr).toMatch(/^hint: let fap-test-deployer run commands as fap-test-app without a password \(NOPASSWD\): "fap-test-deployer ALL=\(fap-test-app\) NOPASSWD: ALL" in a file in \/etc\/sudoers.d\//m);
    expect(run.stderr).not.toMatch(/at .*\.js/);
    await users.sudoers(`${DEPLOYER.name} ALL=(${APP.name}) NOPASSWD: ALL`);
    const allowed = await fap(dir, "run", "deploy", "-s", "production");
    expect(allowed.stderr).toBe("");
    expect(allowed.code).toBe(0);
    expect(await owner("/srv/www/denied/current/whoami")).toBe(APP.uid);
  });

  it("fap doctor checks as that user, and names sudo's refusal as its own check", async () => {
    await users.sudoers("");
    const dir = await env.project({ "deploy.yml": config("doctor", `user: ${DEPLOYER.name}\nrun_as: ${APP.name}`) });
    const refused = await fap(dir, "doctor", "-s", "production");
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/✗ sudo {2}sudo asks for fap-test-deployer's password to run commands as fap-test-app/);
    await users.sudoers(`${DEPLOYER.name} ALL=(${APP.name}) NOPASSWD: ALL`);
    const allowed = await fap(dir, "doctor", "-s", "production");
    expect(allowed.stdout).not.toMatch(/sudo asks/);
  });

  it("kills a timed-out command run as another user than the SSH user", async () => {
    await users.sudoers(`${DEPLOYER.name} ALL=(${APP.name}) NOPASSWD: ALL`);
    const dir = await env.project({
      "deploy.yml": `app_name: slow\npath: /srv/www/slow\nuser: ${DEPLOYER.name}\nrun_as: ${APP.name}\ncommand_timeout: 2\nhooks:\n  updated: sleep 60.0417\nstage_role_configs:\n  production:\n    web:\n      hosts: [host1]\n`,
    });
    const run = await fap(dir, "run", "deploy", "-s", "production");
    expect(run.code).toBe(1);
    // The message quotes the command as written, not the sudo around it.
    expect(run.stderr).toMatch(/updated: `\(\{ test -d \/srv\/www\/slow\/releases .*` timed out after 2000 ms$/m);
    expect(run.stderr).not.toMatch(/sudo -u/);
    // The sleep runs as fap-test-app, whom fap-test-deployer may not signal: it is killed as that user.
    expect((await host().exec("pgrep -f 'sleep [6]0.0417' || true")).stdout.trim()).toBe("");
  });

  it("refuses an unknown user in one line", async () => {
    const dir = await env.project({ "deploy.yml": config("nouser", "run_as: fap-test-nobody") });
    const run = await fap(dir, "run", "deploy", "-s", "production");
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: host1: there is no user fap-test-nobody on the host \(run_as\)$/m);
  });
});

describe("sudo: true", () => {
  it("runs the commands as root through sudo", async () => {
    await users.sudoers(`${DEPLOYER.name} ALL=(ALL) NOPASSWD: ALL`);
    const dir = await env.project({ "deploy.yml": config("rooted", `user: ${DEPLOYER.name}\nsudo: true`) });
    const run = await fap(dir, "run", "deploy", "-s", "production");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect((await host().exec("cat /srv/www/rooted/current/whoami")).stdout).toMatch(/^root /);
  });

  it("cannot be combined with run_as or forward_agent (one line each, before connecting)", async () => {
    const both = await fap(await env.project({ "deploy.yml": config("both", `run_as: ${APP.name}\nsudo: true`) }), "run", "deploy", "-s", "production");
    expect(both.stderr).toMatch(/^error: host1: run_as \(fap-test-app\) and sudo: true are both set$/m);
    const agent = await fap(await env.project({ "deploy.yml": config("agent", "sudo: true\nforward_agent: true") }), "run", "deploy", "-s", "production");
    expect(agent.stderr).toMatch(/^error: host1: forward_agent does not work with sudo: true$/m);
  });
});
