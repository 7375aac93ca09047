import { describe, expect, it } from "vitest";
import { runAsUser, sudoCommand, sudoRefusal } from "../../src/shell/run-as.js";
import { thrown } from "../../../../test/thrown.js";

// Checks the mutation run (npm run test:mutation) found untested: run_as and sudo were tested
// only end to end and through other packages' tests, which run the built dist.

describe("runAsUser", () => {
  it("is run_as's user, root for sudo: true, or undefined", () => {
    expect(runAsUser({ run_as: "app" }, "web1")).toBe("app");
    expect(runAsUser({ sudo: true }, "web1")).toBe("root");
    expect(runAsUser({ run_as: "app", sudo: false, forward_agent: false }, "web1")).toBe("app");
    expect(runAsUser({}, "web1")).toBeUndefined();
    expect(runAsUser({ run_as: "", sudo: "yes", forward_agent: true }, "web1")).toBeUndefined();
    expect(runAsUser({ run_as: 5 }, "web1")).toBeUndefined();
  });

  it("refuses run_as and sudo together", () => {
    const error = thrown(() => runAsUser({ run_as: "app", sudo: true }, "web1"));
    expect(error).toMatchObject({ code: "E_CONFIG", host: "web1", message: "run_as (app) and sudo: true are both set", hint: "sudo: true is run_as: root; keep the one you mean" });
  });

  it("refuses forward_agent with either, naming which", () => {
    const hint =
      "sudo drops SSH_AUTH_SOCK, and the agent's socket belongs to the SSH user: give the host a key for the repository (a deploy key) instead, or log in as the user itself (user:)";
    expect(thrown(() => runAsUser({ run_as: "app", forward_agent: true }, "web1"))).toMatchObject({
      code: "E_CONFIG",
      host: "web1",
      message: "forward_agent does not work with run_as",
      hint,
    });
    expect(thrown(() => runAsUser({ sudo: true, forward_agent: true }, "web1")).message).toBe("forward_agent does not work with sudo: true");
  });
});

describe("sudoCommand", () => {
  it("runs the command as the user through sudo -n, quoted", () => {
    expect(sudoCommand("app", "cd /srv && echo 'hi'")).toBe(`sudo -u app -H -n -- sh -c 'cd /srv && echo '\\''hi'\\'''`);
  });
});

describe("sudoRefusal", () => {
  const result = (exitCode: number, stderr: string, stdout = "") => ({ stdout, stderr, exitCode });
  const refusal = (exitCode: number, stderr: string, stdout = "") => sudoRefusal(result(exitCode, stderr, stdout), "app", "deploy", "web1");
  const rule = `"deploy ALL=(app) NOPASSWD: ALL" in a file in /etc/sudoers.d/ (visudo -f FILE)`;

  it("says sudo is missing", () => {
    for (const stderr of ["sh: 1: sudo: not found\n", "bash: sudo: command not found\n"]) {
      expect(refusal(127, stderr)).toMatchObject({
        code: "E_SUDO",
        host: "web1",
        message: "sudo is not installed (run_as: app)",
        hint: "install it on the host (apt-get install sudo), or unset run_as and sudo",
        details: { runAs: "app", exitCode: 127, stderr },
      });
    }
    expect(refusal(127, "sh: 1: node: not found\n")).toBeUndefined();
    expect(refusal(1, "sh: 1: sudo: not found\n")).toBeUndefined();
  });

  it("says sudo asks for a password, and which rule lets it run without", () => {
    for (const stderr of ["\nsudo: a password is required\n", "sudo: a terminal is required to read the password\n"]) {
      expect(refusal(1, stderr)).toMatchObject({
        code: "E_SUDO",
        host: "web1",
        message: "sudo asks for deploy's password to run commands as app; fap never types one (sudo -n)",
        hint: `let deploy run commands as app without a password (NOPASSWD): ${rule}`,
        details: { runAs: "app", exitCode: 1, stderr },
      });
    }
  });

  it("says the user is unknown", () => {
    expect(refusal(1, "sudo: unknown user app\nsudo: error initializing audit plugin\n")).toMatchObject({
      code: "E_SUDO",
      host: "web1",
      message: "there is no user app on the host (run_as)",
      hint: "create the user, or fix run_as",
      details: { runAs: "app", exitCode: 1 },
    });
  });

  it("says the SSH user may not use sudo for that user", () => {
    for (const stderr of ["deploy is not in the sudoers file.\n", "Sorry, user deploy is not allowed to execute 'sh' as app on web1.\n", "Sorry, user deploy is not allowed to run sudo on web1.\n"]) {
      expect(refusal(1, stderr)).toMatchObject({ code: "E_SUDO", host: "web1", message: "deploy may not run commands as app through sudo", hint: `allow it: ${rule}`, details: { stderr } });
    }
  });

  it("leaves the command's own failures alone: output on stdout, a later line, another exit code", () => {
    expect(refusal(1, "sudo: a password is required\n", "the command ran\n")).toBeUndefined();
    expect(refusal(1, "rsync: failed\nsudo: a password is required\n")).toBeUndefined();
    expect(refusal(1, "my-tool: sudo: unknown user app\n")).toBeUndefined();
    expect(refusal(1, "my-tool: sudo: a password is required\n")).toBeUndefined();
    expect(refusal(2, "sudo: a password is required\n")).toBeUndefined();
    expect(refusal(0, "")).toBeUndefined();
    expect(refusal(1, "")).toBeUndefined();
  });
});
