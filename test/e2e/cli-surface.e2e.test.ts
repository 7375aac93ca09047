import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FAP_BIN, hostTree, runFap, waitFor, type FapRun } from "../harness.js";
import { useTestHosts } from "../three-hosts.js";

const testHosts = useTestHosts(1);

/** A plugin declaring migrate_skip and warning once per host while updating. */
const WARNER = `export default () => ({
  name: "test:warner",
  config: { migrate_skip: { type: "boolean", default: false, description: "do not run the migrations" } },
  apply(fap) { fap.hooks.updating.tapPromise("test:warner", async (ctx) => ctx.log("disk nearly full", "warn")); },
});
`;

function deployYml(app: string, extra = ""): string {
  return `app_name: ${app}
path: /srv/www/%(app_name)s
greeting: hello
${extra}
hooks:
  updating: echo "%(greeting)s" > GREETING
stage_role_configs:
  production:
    web:
      hosts: [host1]
      colour: blue
`;
}

describe("the command line as Fapistrano users write it", () => {
  it("--key=value and --key value set any key the config file defines, at any level", async () => {
    const dir = await testHosts.project({ "deploy.yml": deployYml("ownkeys").replace('"%(greeting)s"', '"%(greeting)s %(colour)s"') });
    const run = await runFap(testHosts.hosts, dir, ["release", "-s", "production", "--greeting=bye", "--colour", "red"]);
    expect(run.code, run.stderr).toBe(0);
    const tree = await hostTree(testHosts.hosts, 0, "/srv/www/ownkeys");
    expect(readFileSync(tree.local("current/GREETING"), "utf8").trim()).toBe("bye red");
  });

  it("a misspelt key gets 'did you mean', and the hint says where keys are listed", async () => {
    const dir = await testHosts.project({ "deploy.yml": deployYml("typo", "plugins: [./warner.mjs]"), "warner.mjs": WARNER });
    const run = await runFap(testHosts.hosts, dir, ["release", "-s", "production", "--migrate-skp"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: unknown option --migrate-skp.*\nhint: did you mean --migrate-skip\? fap run deploy --help lists/);
  });

  it("takes -d FILE (and -s, -r) before the command, as Fapistrano's usage writes it", async () => {
    const dir = await testHosts.project({ "myapp.yml": deployYml("before") });
    const run = await runFap(testHosts.hosts, dir, ["-d", "myapp.yml", "-s", "production", "release"]);
    expect(run.code, run.stderr).toBe(0);
    expect((await hostTree(testHosts.hosts, 0, "/srv/www/before")).current).toMatch(/^releases\//);
    const once = await runFap(testHosts.hosts, dir, ["-c", "myapp.yml", "once", "-s", "production", "-c", "cat GREETING"]);
    expect(once.code, once.stderr).toBe(0);
    expect(once.stdout).toMatch(/host1\s+\| hello/);
  });

  it("echo pwd | fap shell ends at the end of its input", async () => {
    const dir = await testHosts.project({ "deploy.yml": deployYml("piped") });
    expect((await runFap(testHosts.hosts, dir, ["release", "-s", "production"])).code).toBe(0);
    const run = await new Promise<FapRun>((resolve) => {
      const child = spawn(process.execPath, [FAP_BIN, "shell", "-s", "production"], { cwd: dir, env: { ...process.env, ...testHosts.hosts.env, NO_COLOR: "1" } });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      // Only for a shell that never ends: within the test's 60 s, as fap starts slowly on a loaded machine.
      const timer = setTimeout(() => child.kill("SIGKILL"), 45_000);
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? 137, stdout, stderr });
      });
      child.stdin.end("pwd\ncat GREETING\n");
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\/srv\/www\/piped\/current$/m);
    expect(run.stdout).toMatch(/^hello$/m);
  });

  it("refuses deploy-only and rollback-only options where they mean nothing, in one line", async () => {
    const dir = await testHosts.project({ "deploy.yml": deployYml("scoped") });
    for (const args of [["rollback", "--batch", "2"], ["restart", "--max-failed", "1"], ["once", "-c", "true", "--batch-wait", "3"], ["run", "restart", "--max-failed", "1"]]) {
      const run = await runFap(testHosts.hosts, dir, [...args, "-s", "production"]);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toMatch(/^error: --(batch|max-failed|batch-wait) applies to deploy (and restart )?only .*\nhint: /);
      expect(run.stderr.trim().split("\n")).toHaveLength(2);
    }
    const align = await runFap(testHosts.hosts, dir, ["release", "-s", "production", "--align"]);
    expect(align.code).toBe(2);
    expect(align.stderr).toMatch(/^error: --align applies to rollback only/);
    const to = await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production", "--to", "x"]);
    expect(to.code).toBe(2);
    expect(to.stderr).toMatch(/^error: --to applies to rollback only/);
    const wait = await runFap(testHosts.hosts, dir, ["restart", "-s", "production", "--lock-wait=5"]);
    expect(wait.code).toBe(2);
    expect(wait.stderr).toMatch(/^error: --lock-wait applies to deploy and rollback only/);
  });

  it("each command's --help lists only its own options; fap run deploy --help lists the project's keys", async () => {
    const dir = await testHosts.project({ "deploy.yml": deployYml("helpful", "plugins: [./warner.mjs]"), "warner.mjs": WARNER });
    for (const command of ["shell", "status", "tasks", "rollback", "restart", "once", "unlock", "config", "doctor", "releases"]) {
      const help = await runFap(testHosts.hosts, dir, [command, "--help"]);
      expect(help.code).toBe(0);
      // A rolling restart takes --batch; nothing but deploy tolerates failed hosts.
      expect(help.stdout, command).not.toMatch(command === "restart" ? /--max-failed/ : /--batch|--max-failed/);
    }
    const deploy = await runFap(testHosts.hosts, dir, ["run", "deploy", "--help"]);
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(deploy.stdout).toMatch(/--batch <n\|n%>/);
    expect(deploy.stdout).toMatch(/^ {2}--migrate-skip\[=true\|false\] +do not run the migrations \(test:warner\)$/m);
    expect(deploy.stdout).toMatch(/^ {2}--keep-releases=N +/m);
    expect(deploy.stdout).toMatch(/^ {2}--greeting=VALUE +set in deploy\.yml$/m);
  });

  it("plugin warnings print under -q, and read as warnings without colour", async () => {
    const dir = await testHosts.project({ "deploy.yml": deployYml("warned", "plugins: [./warner.mjs]"), "warner.mjs": WARNER });
    const quiet = await runFap(testHosts.hosts, dir, ["release", "-s", "production", "-q"]);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stdout + quiet.stderr).toMatch(/host1 +\| warning: disk nearly full/);
    const plain = await runFap(testHosts.hosts, dir, ["release", "-s", "production"]);
    expect(plain.stdout).toMatch(/host1 +\| warning: disk nearly full/);
  });

  it("fap init in a terminal: Ctrl-D at a question is a user's stop, not a bug", async () => {
    const dir = await testHosts.project({});
    const child = spawn("script", ["-qfec", `'${process.execPath}' '${FAP_BIN}' init`, "/dev/null"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    child.stdout.on("data", (chunk) => (out += String(chunk).replace(/\x1b\[[0-9;]*[A-Za-z]/g, "")));
    const done = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? 1)));
    await waitFor(() => out, /App name \[[^\]]+\]: /);
    child.stdin.write("\x04");
    expect(await done).toBe(2);
    expect(out).toMatch(/error: fap init: stopped before every question was answered\r?\nhint: /);
    expect(out).not.toMatch(/bug/);
  });

  it("fap init in a terminal asks again, with the reason, after an empty answer", async () => {
    const dir = await testHosts.project({});
    // script(1) gives fap a pseudo-terminal, as a person's shell would.
    const child = spawn("script", ["-qfec", `'${process.execPath}' '${FAP_BIN}' init --yaml`, "/dev/null"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    let seen = 0;
    // Without readline's cursor moves, as a person sees it.
    child.stdout.on("data", (chunk) => (out += String(chunk).replace(/\x1b\[[0-9;]*[A-Za-z]/g, "")));
    const done = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? 1)));
    const answer = async (prompt: RegExp, text: string) => {
      await waitFor(() => out.slice(seen), prompt);
      seen = out.length;
      child.stdin.write(`${text}\r`);
    };
    try {
      await answer(/App name \[[^\]]+\]: /, "");
      await answer(/Stages .*: /, "");
      await answer(/Roles .*: /, "");
      await answer(/Hosts of production\.web .*: /, "");
      await answer(/no hosts for production\.web: give at least one; try again\r?\nHosts of production\.web .*: /, "host1");
      await answer(/Plugins .*: /, "");
      expect(await done).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
    expect(out).toMatch(/wrote deploy\.yml/);
    expect(readFileSync(path.join(dir, "deploy.yml"), "utf8")).toMatch(/- host1\n/);
  });
});
