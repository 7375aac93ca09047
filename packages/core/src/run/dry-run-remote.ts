import type { ExecOptions, ExecResult, Remote, ResolvedAddress } from "../remote.js";

/**
 * Stands in for a host under --dry-run: accepts every command and runs none, so the run's
 * `command` events list exactly what each host would be sent. Reads see an empty host, except
 * a command marked `readOnly` (it changes nothing), which goes to the real host when there is
 * one: what it reads (the commit a branch names) makes the commands shown exact.
 */
export function dryRunRemote(host: string, resolved: ResolvedAddress, real?: Remote): Remote {
  return {
    host,
    resolved,
    async exec(command: string, options?: ExecOptions): Promise<ExecResult> {
      if (real && options?.readOnly) return real.exec(command, options);
      return { stdout: "", stderr: "", exitCode: 0 };
    },
  };
}
