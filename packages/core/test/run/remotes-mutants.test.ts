import { describe, expect, it } from "vitest";
import type { ExecOptions, ExecResult, Remote } from "../../src/remote.js";
import { dryRunRemote } from "../../src/run/dry-run-remote.js";
import { configuredRemote } from "../../src/run/host-remote.js";
import { rejection } from "../../../../test/thrown.js";

// Checks the mutation run (npm run test:mutation) found untested: what a --dry-run host and a
// host with run_as / sudo / forward_agent send, as plain units (before, only the CLI's tests
// against sshd ran them, through core's built dist).

const resolved = { hostname: "10.0.0.1", port: 22, user: "deploy" };

/** A remote recording what it is sent and answering `answer`. */
function recording(answer: Partial<ExecResult> = {}) {
  const sent: Array<[string, ExecOptions | undefined]> = [];
  const remote: Remote = {
    host: "web1",
    resolved,
    async exec(command, options) {
      sent.push([command, options]);
      return { stdout: "real", stderr: "", exitCode: 0, ...answer };
    },
  };
  return { remote, sent };
}

describe("dryRunRemote", () => {
  it("runs nothing but what only reads, on the real host when there is one", async () => {
    const { remote, sent } = recording();
    const dry = dryRunRemote("web1", resolved, remote);
    expect([dry.host, dry.resolved]).toEqual(["web1", resolved]);
    expect(await dry.exec("rm -rf /srv/app")).toEqual({ stdout: "", stderr: "", exitCode: 0 });
    expect(await dry.exec("rm -rf /srv/app", { readOnly: false })).toEqual({ stdout: "", stderr: "", exitCode: 0 });
    expect((await dry.exec("git ls-remote", { readOnly: true })).stdout).toBe("real");
    expect(sent).toEqual([["git ls-remote", { readOnly: true }]]);
    expect((await dryRunRemote("web1", resolved).exec("git ls-remote", { readOnly: true })).stdout).toBe("");
  });
});

describe("configuredRemote", () => {
  it("is the remote itself when nothing is asked", () => {
    const { remote } = recording();
    expect(configuredRemote(remote, {})).toBe(remote);
    expect(configuredRemote(remote, { forward_agent: "yes", run_as: "" })).toBe(remote);
  });

  it("forwards the agent on every command, keeping the caller's options", async () => {
    const { remote, sent } = recording();
    const configured = configuredRemote(remote, { forward_agent: true });
    expect([configured.host, configured.resolved]).toEqual(["web1", resolved]);
    // What fap doctor and plugins read of the connection stays the connection's.
    expect(configuredRemote({ ...remote, auth: "ssh-agent" }, { run_as: "app" }).auth).toBe("ssh-agent");
    await configured.exec("git fetch", { timeoutMs: 5 });
    await configured.exec("true");
    expect(sent).toStrictEqual([
      ["git fetch", { timeoutMs: 5, forwardAgent: true }],
      ["true", { forwardAgent: true }],
    ]);
  });

  it("runs every command through sudo as run_as, shown as the command itself", async () => {
    const { remote, sent } = recording();
    const result = await configuredRemote(remote, { run_as: "app" }).exec("echo 'hi'", { timeoutMs: 5 });
    expect(result.stdout).toBe("real");
    expect(sent).toEqual([["sudo -u app -H -n -- sh -c 'echo '\\''hi'\\'''", { shownAs: "echo 'hi'", timeoutMs: 5, runAs: "app" }]]);
    const root = recording();
    await configuredRemote(root.remote, { sudo: true }).exec("id");
    expect(root.sent[0]![1]).toEqual({ shownAs: "id", runAs: "root" });
  });

  it("turns sudo's refusal into its error", async () => {
    const { remote } = recording({ stdout: "", stderr: "sudo: a password is required\n", exitCode: 1 });
    const error = await rejection(configuredRemote(remote, { run_as: "app" }).exec("id"));
    expect([error.code, error.message, error.host]).toEqual(["E_SUDO", "sudo asks for deploy's password to run commands as app; fap never types one (sudo -n)", "web1"]);
  });

  it("keeps the remote's interactive shell, as the SSH user's", async () => {
    const calls: unknown[] = [];
    const remote: Remote & { shell: NonNullable<Remote["shell"]> } = {
      ...recording().remote,
      shell(this: unknown, ...args: unknown[]) {
        calls.push([this, ...args]);
        return Promise.resolve(0);
      },
    } as never;
    const configured = configuredRemote(remote, { run_as: "app" });
    await (configured.shell as (...args: unknown[]) => Promise<unknown>)("cd /srv");
    expect(calls).toEqual([[remote, "cd /srv"]]);
    expect(configuredRemote(recording().remote, { run_as: "app" }).shell).toBeUndefined();
    expect("shell" in configuredRemote(recording().remote, { run_as: "app" })).toBe(false);
  });
});
