import { appendFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { runFap } from "../harness.js";
import { useTestHosts } from "../three-hosts.js";

// fap never exits 0 unless the run finished: a ProxyJump loop is a config error, and a hook,
// a plugin or a connection that never completes ends fap non-zero, naming what it waited on.

const testHosts = useTestHosts(1);

beforeAll(() => {
  const host = testHosts.hosts.hosts[0]!;
  appendFileSync(
    testHosts.hosts.sshConfigPath,
    [
      "",
      "Host self-loop",
      "  HostName 127.0.0.1",
      `  Port ${host.port}`,
      "  ProxyJump self-loop",
      "Host loop-a",
      "  ProxyJump loop-b",
      "Host loop-b",
      "  ProxyJump loop-a",
      "",
    ].join("\n"),
  );
});

const deployYml = (hosts: string, plugins = "") => `app_name: unfinished
path: /srv/www/unfinished
${plugins}
stage_role_configs:
  production:
    web:
      hosts: [${hosts}]
`;

/** The --json lines of a run, parsed. */
const jsonLines = (stdout: string) =>
  stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { type: string; state?: string; ok?: boolean; error?: { message: string } });

describe("a ProxyJump loop", () => {
  // Both ends of a loop at once: each connection waits on the other's, not on its own.
  it.each([["self-loop"], ["loop-a"], ["loop-a, loop-b"]])("through %s is a config error, and the run ends as failed", async (alias) => {
    const dir = await testHosts.project({ "deploy.yml": deployYml(alias) });
    const deploy = await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production", "--json"]);
    expect(deploy.code, deploy.stderr).not.toBe(0);
    expect(deploy.stderr).toMatch(/ProxyJump loop in ~\/\.ssh\/config: (self-loop → self-loop|loop-a → loop-b → loop-a|loop-b → loop-a → loop-b)/);
    expect(deploy.stderr).not.toMatch(/\n\s+at /);
    expect(jsonLines(deploy.stdout).at(-1)).toMatchObject({ type: "run", state: "end", ok: false });

    const status = await runFap(testHosts.hosts, dir, ["status", "-s", "production"]);
    expect(status.code, status.stderr).not.toBe(0);
    expect(status.stderr).toMatch(/ProxyJump loop/);
  });
});

describe("a run that never finishes", () => {
  it("a plugin tap whose promise never resolves: exit 1, naming the tap and hook, and --json ends with run end", async () => {
    const stall = `export default () => ({ name: "test:stall", apply(fap) { fap.hooks.building.tapPromise("test:stall", () => new Promise(() => {})); } });\n`;
    const dir = await testHosts.project({ "deploy.yml": deployYml("host1", "plugins: [./stall.mjs]"), "stall.mjs": stall });
    const deploy = await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production", "--json"]);
    expect(deploy.code, deploy.stderr).toBe(1);
    expect(deploy.stderr).toMatch(/^error: the run stopped without finishing \(a hook or connection never completed\); it was waiting on test:stall \(building\)$/m);
    const last = jsonLines(deploy.stdout).at(-1);
    expect(last).toMatchObject({ type: "run", state: "end", ok: false });
    expect(last?.error?.message).toMatch(/stopped without finishing/);

    const human = await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production"]);
    expect(human.code).toBe(1);
    expect(human.stdout).not.toMatch(/done/);
    expect(human.stderr).toMatch(/waiting on test:stall \(building\)/);
  });

  it("every command that loads the config ends non-zero when a plugin never finishes loading", async () => {
    const hang = `await new Promise(() => {});\nexport default () => ({ name: "test:hang", apply() {} });\n`;
    const dir = await testHosts.project({ "deploy.yml": deployYml("host1", "plugins: [./hang.mjs]"), "hang.mjs": hang });
    const commands = [
      ["run", "deploy"],
      ["run", "rollback"],
      ["run", "restart"],
      ["run", "cache:clear"],
      ["once", "-c", "true"],
      ["status"],
      ["releases"],
      ["doctor"],
      ["unlock", "--force"],
      ["config"],
      ["shell"],
      ["tasks"],
    ];
    for (const command of commands) {
      const run = await runFap(testHosts.hosts, dir, [...command, "-s", "production", "--json"].filter((a) => a !== "--json" || ["run", "once"].includes(command[0]!)));
      expect(run.code, `fap ${command.join(" ")}: ${run.stderr}`).toBe(1);
      expect(run.stderr, `fap ${command.join(" ")}`).toMatch(/^error: the run stopped without finishing/m);
      if (["run", "once"].includes(command[0]!)) {
        expect(jsonLines(run.stdout).at(-1), `fap ${command.join(" ")}`).toMatchObject({ type: "run", state: "end", ok: false });
      }
    }
    // Twelve fap runs one after the other: 28 s seen on a loaded machine, too close to the default 60 s.
  }, 120_000);
});
