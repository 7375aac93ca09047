import type { ExecOptions, Remote } from "../remote.js";
import { runAsUser, sudoCommand, sudoRefusal } from "../shell/run-as.js";

/**
 * The host's remote as its config asks for it: each command forwards the ssh-agent
 * (`forward_agent`) and runs through sudo as `run_as` (or root for `sudo: true`), see run-as.ts.
 * Interactive shells (`fap shell`) stay the SSH user's own.
 */
export function configuredRemote(remote: Remote, values: Readonly<Record<string, unknown>>): Remote {
  const runAs = runAsUser(values, remote.host);
  const forwardAgent = values.forward_agent === true;
  if (runAs === undefined && !forwardAgent) return remote;
  const own: ExecOptions = { ...(forwardAgent ? { forwardAgent: true } : {}), ...(runAs === undefined ? {} : { runAs }) };
  return {
    host: remote.host,
    resolved: remote.resolved,
    auth: remote.auth,
    async exec(command, options = {}) {
      if (runAs === undefined) return remote.exec(command, { ...options, ...own });
      const result = await remote.exec(sudoCommand(runAs, command), { shownAs: command, ...options, ...own });
      const refused = sudoRefusal(result, runAs, remote.resolved.user, remote.host);
      if (refused) throw refused;
      return result;
    },
    ...(remote.shell === undefined ? {} : { shell: remote.shell.bind(remote) }),
  };
}
