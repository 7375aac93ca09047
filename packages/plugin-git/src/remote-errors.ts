import { FapError, type HostContext } from "@fap/core";

/** The repository could not be read from this host: git's reason (or ssh's refusal) and what to check. */
export function unreadableError(ctx: HostContext, url: string, stderr: string, exitCode: number | null): FapError {
  const refused = sshRefusal(stderr);
  return new FapError("E_COMMAND_FAILED", `cannot read ${url}: ${refused ?? gitReason(stderr, exitCode)}`, {
    host: ctx.host,
    hint:
      refused === undefined
        ? "check repo, and that this host can reach it (network, its ssh key or credentials for the repository)"
        : ctx.config.forward_agent === true
          ? "the repository refused the keys of your ssh-agent, forwarded to the host: add your key to the repository (ssh-add -l lists the agent's keys)"
          : "the repository refused the host's ssh keys: set forward_agent: true to use your ssh-agent's keys on the host, or give the host a key the repository accepts (a deploy key)",
    details: { exitCode, stderr },
  });
}

/** `branch` names nothing on the remote (or, unset, the remote's HEAD points nowhere). */
export function notFound(branch: string | undefined, repo: string, host: string): FapError {
  if (branch === undefined) {
    return new FapError("E_CONFIG", `${repo} has no default branch (its HEAD points nowhere)`, {
      host,
      hint: `set branch: to one of the branches listed by: git ls-remote --heads ${repo}`,
    });
  }
  return new FapError("E_CONFIG", `branch '${branch}' is not a branch, tag or commit of ${repo}`, {
    host,
    hint: `list the branches with: git ls-remote --heads ${repo} (tags: --tags)`,
  });
}

/** ssh's own reason when the repository's server refused the host (`git@host: Permission denied (publickey).`). */
function sshRefusal(stderr: string): string | undefined {
  return stderr.split("\n").map((line) => line.trim()).find((line) => /Permission denied \(/.test(line));
}

/** git's first `fatal:` line says what went wrong; the lines after it are generic advice. */
function gitReason(stderr: string, exitCode: number | null): string {
  const lines = stderr.split("\n").map((line) => line.trim()).filter(Boolean);
  return lines.find((line) => /^(fatal|error):/.test(line)) ?? lines.at(-1) ?? `exit code ${exitCode}`;
}
