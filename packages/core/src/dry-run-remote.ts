import type { ExecResult, Remote, ResolvedAddress } from "./remote.js";

/**
 * Stands in for a host under --dry-run: accepts every command and runs none, so the run's
 * `command` events list exactly what each host would be sent. Reads see an empty host.
 */
export function dryRunRemote(host: string, resolved: ResolvedAddress): Remote {
  return {
    host,
    resolved,
    async exec(): Promise<ExecResult> {
      return { stdout: "", stderr: "", exitCode: 0 };
    },
  };
}
