import { FapError } from "../errors.js";
import { sh } from "./quote.js";
import type { ExecResult } from "../remote.js";

/**
 * `run_as: USER`, or `sudo: true` (USER root): every command fap runs on the host goes through
 * `sudo -u USER -H -n -- sh -c COMMAND` — the deploy's phases and hooks, the lock, the reads of
 * the host's state and the release log — so that every file of the deploy path has one owner.
 * Undefined: commands run as the SSH user, without sudo.
 */
export function runAsUser(values: Readonly<Record<string, unknown>>, host: string): string | undefined {
  const runAs = typeof values.run_as === "string" && values.run_as !== "" ? values.run_as : undefined;
  const sudo = values.sudo === true;
  if (runAs !== undefined && sudo) {
    throw new FapError("E_CONFIG", `run_as (${runAs}) and sudo: true are both set`, {
      host,
      hint: "sudo: true is run_as: root; keep the one you mean",
    });
  }
  const user = runAs ?? (sudo ? "root" : undefined);
  if (user !== undefined && values.forward_agent === true) {
    throw new FapError("E_CONFIG", `forward_agent does not work with ${runAs === undefined ? "sudo: true" : "run_as"}`, {
      host,
      hint: "sudo drops SSH_AUTH_SOCK, and the agent's socket belongs to the SSH user: give the host a key for the repository (a deploy key) instead, or log in as the user itself (user:)",
    });
  }
  return user;
}

/** Non-interactive (-n): sudo fails at once where it would ask for a password. -H: HOME is the user's. */
export function sudoCommand(user: string, command: string): string {
  return sh`sudo -u ${user} -H -n -- sh -c ${command}`;
}

/** What `sudo -n` says when it did not run the command, as one FapError; undefined when it ran it. */
export function sudoRefusal(result: ExecResult, runAs: string, sshUser: string, host: string): FapError | undefined {
  // sudo speaks before the command runs, so its refusal is the first line and nothing is on stdout:
  // the command's own failures (a `sudo -n` of its own, say) are left alone.
  const first = result.stderr.trimStart().split("\n", 1)[0] ?? "";
  const said = (pattern: RegExp) => result.stdout === "" && pattern.test(first);
  const rule = `"${sshUser} ALL=(${runAs}) NOPASSWD: ALL" in a file in /etc/sudoers.d/ (visudo -f FILE)`;
  const details = { runAs, exitCode: result.exitCode, stderr: result.stderr };
  if (result.exitCode === 127 && said(/sudo: (?:command )?not found/)) {
    return new FapError("E_SUDO", `sudo is not installed (run_as: ${runAs})`, { host, hint: "install it on the host (apt-get install sudo), or unset run_as and sudo", details });
  }
  if (result.exitCode !== 1) return undefined;
  if (said(/^sudo: (?:a password is required|a terminal is required)/)) {
    return new FapError("E_SUDO", `sudo asks for ${sshUser}'s password to run commands as ${runAs}; fap never types one (sudo -n)`, {
      host,
      hint: `let ${sshUser} run commands as ${runAs} without a password (NOPASSWD): ${rule}`,
      details,
    });
  }
  if (said(/^sudo: unknown user/)) {
    return new FapError("E_SUDO", `there is no user ${runAs} on the host (run_as)`, { host, hint: "create the user, or fix run_as", details });
  }
  if (said(/is not in the sudoers file|is not allowed to (?:execute|run sudo)/)) {
    return new FapError("E_SUDO", `${sshUser} may not run commands as ${runAs} through sudo`, { host, hint: `allow it: ${rule}`, details });
  }
  return undefined;
}
